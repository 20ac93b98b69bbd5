// Public entry of @samverkan/auth: bearer-JWT guard, roles, current user, test issuer.
export {};
