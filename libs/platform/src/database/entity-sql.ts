import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** SQL over arrays of entities (see EntitySql.arrays). */
export interface ArraysSql<E> {
  sql: string;
  params: unknown[];
  /** The column of a property in the statement, e.g. `alias.c2`. */
  ref: (property: keyof E) => string;
}

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
   * `properties` of many entities as one array per column: `unnest($n::type[], ...) AS alias (c0,
   * c1, ...)`, the placeholders numbered from `firstParam`, and `ref(property)`, the reference to a
   * property's column there (`alias.cN`). The columns are numbered, not named, so that a statement
   * joining them to the table never meets a name twice. For a set-based statement whose text is the
   * same for any number of entities. Array columns cannot travel this way (node-pg has no arrays of
   * arrays).
   */
  arrays(
    entities: readonly E[],
    properties: ReadonlyArray<keyof E>,
    firstParam: number,
    alias: string,
  ): ArraysSql<E> {
    const columns = properties.map((property) => this.columnOf(property));
    for (const column of columns) {
      if (column.isArray)
        throw new Error(`${this.metadata.name}.${column.propertyName}: array columns cannot go as arrays`);
    }
    const params = columns.map((column) => entities.map((entity) => this.persistent(entity, column)));
    const arrays = columns.map((column, i) => `$${firstParam + i}::${this.typeOf(column)}[]`);
    return {
      sql: `unnest(${arrays.join(', ')}) AS ${alias} (${columns.map((_, i) => `c${i}`).join(', ')})`,
      params,
      ref: (property) => {
        const index = columns.indexOf(this.columnOf(property));
        if (index < 0) throw new Error(`${this.metadata.name}.${String(property)} is not among the arrays`);
        return `${alias}.c${index}`;
      },
    };
  }

  /**
   * `INSERT INTO table (columns) SELECT ... FROM <arrays(...)>` for every column the first entity has
   * a value for (the others get their database default, as with TypeORM's insert): the caller
   * appends a WHERE on `ref(...)`, or nothing.
   */
  insertArrays(entities: readonly E[], firstParam: number, alias: string): ArraysSql<E> {
    const columns = this.metadata.columns.filter(
      (column) => column.getEntityValue(entities[0]) !== undefined,
    );
    const from = this.arrays(
      entities,
      columns.map((column) => column.propertyPath as keyof E),
      firstParam,
      alias,
    );
    return {
      ...from,
      sql:
        `INSERT INTO ${this.table} (${columns.map((c) => c.databaseName).join(', ')}) ` +
        `SELECT ${columns.map((_, i) => `${alias}.c${i}`).join(', ')} FROM ${from.sql}`,
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
