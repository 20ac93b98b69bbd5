import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Pieces of hand-written SQL for one entity, taken from its TypeORM metadata: for a hot path that
 * runs as one statement (DirectSql) instead of through the query builder, which costs more CPU per
 * call than the statement itself. Column names, value conversions (jsonb, arrays, transformers) and
 * hydration are TypeORM's own, so the entity stays the one description of its table.
 */
export class EntitySql<E extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly byProperty: ReadonlyMap<string, ColumnMetadata>;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<E>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.byProperty = new Map(this.metadata.columns.map((c) => [c.propertyPath, c]));
  }

  /** The table, as SQL (schema-qualified when the entity names a schema). */
  get table(): string {
    return this.metadata.tablePath;
  }

  /** The database column of a property. */
  column(property: keyof E): string {
    return this.columnOf(property).databaseName;
  }

  /** An entity from a row read with `SELECT *` (or every column of the entity). */
  read(raw: Record<string, unknown>): E {
    const entity = this.metadata.create() as E;
    for (const column of this.metadata.columns) {
      column.setEntityValue(
        entity,
        this.dataSource.driver.prepareHydratedValue(raw[column.databaseName], column),
      );
    }
    return entity;
  }

  /**
   * `column = $n, ...` for `properties` of `entity`, the placeholders numbered from `firstParam`,
   * each cast to its column's type.
   */
  assignments(
    entity: E,
    properties: ReadonlyArray<keyof E>,
    firstParam: number,
  ): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const sql = properties.map((property) => {
      const column = this.columnOf(property);
      params.push(this.persistent(entity, column));
      return `${column.databaseName} = $${firstParam + params.length - 1}::${this.typeOf(column)}`;
    });
    return { sql: sql.join(', '), params };
  }

  /**
   * `INSERT INTO table (columns) SELECT $n, ...` for the columns `entity` has a value for (the
   * others get their database default, as with TypeORM's insert): the caller appends a WHERE (e.g.
   * that another part of its statement wrote a row), or nothing.
   */
  insertSelect(entity: E, firstParam: number): { sql: string; params: unknown[] } {
    const columns = this.metadata.columns.filter((column) => column.getEntityValue(entity) !== undefined);
    const params = columns.map((column) => this.persistent(entity, column));
    const values = columns.map((column, i) => `$${firstParam + i}::${this.typeOf(column)}`);
    return {
      sql: `INSERT INTO ${this.table} (${columns.map((c) => c.databaseName).join(', ')}) SELECT ${values.join(', ')}`,
      params,
    };
  }

  private columnOf(property: keyof E): ColumnMetadata {
    const column = this.byProperty.get(String(property));
    if (!column) throw new Error(`${this.metadata.name} has no column for property ${String(property)}`);
    return column;
  }

  private persistent(entity: E, column: ColumnMetadata): unknown {
    return this.dataSource.driver.preparePersistentValue(column.getEntityValue(entity), column);
  }

  private typeOf(column: ColumnMetadata): string {
    return `${this.dataSource.driver.normalizeType(column)}${column.isArray ? '[]' : ''}`;
  }
}
