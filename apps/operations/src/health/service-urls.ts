/** `name=url` pairs (OPERATIONS_SERVICE_URLS) as a list; the validated env guarantees the shape. */
export function parseServiceUrls(pairs: readonly string[]): Array<{ name: string; url: string }> {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), url: pair.slice(eq + 1).replace(/\/+$/, '') };
  });
}
