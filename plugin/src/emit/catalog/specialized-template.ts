/**
 * A Handlebars template for a row rendered tens of thousands of times a run (the column table's
 * rows), compiled once per combination of its conditions instead of deciding them on every row.
 *
 * Each `{{#if field}}` of a compiled template is a helper call (an options object, two program
 * lookups, the helper's wrapper), several times the cost of the `{{value}}`s it guards. The
 * conditions of a row only read the row's own fields, so the row's template is parsed once, and
 * for each combination of those fields' truthiness met in the data, the `{{#if}}`s are replaced
 * by the branch they would take and the result compiled. A variant has no helper call left for
 * the conditions, only the escaped `{{value}}`s; the output is the template's, byte for byte,
 * since Handlebars applied its whitespace rules when it parsed the template, before the branches
 * were chosen. A run meets a few dozen combinations.
 */
import type Handlebars from "handlebars";

type Ast = hbs.AST.Program;
type Row = Readonly<Record<string, unknown>>;

export function specializedTemplate(
  handlebars: typeof Handlebars,
  source: string,
  options: CompileOptions,
): (row: Row) => string {
  const variantOf = specializedVariants(handlebars, source, options);
  return (row) => variantOf(row).template(row);
}

/** A variant of the template: its conditions' truthiness as bits (a name for it), and the variant compiled. */
export interface TemplateVariant {
  readonly shape: number;
  readonly template: HandlebarsTemplateDelegate;
}

/** The variant of the template that renders `row`, compiled the first time a row of its shape comes. */
export function specializedVariants(handlebars: typeof Handlebars, source: string, options: CompileOptions): (row: Row) => TemplateVariant {
  const ast = handlebars.parse(source);
  const conditions = conditionNames(ast);
  const names = valueNames(ast);
  if (conditions.length > 30) throw new Error("internal error: a specialized template decides at most 30 conditions");
  const variants = new Map<number, TemplateVariant>();
  return (row) => {
    let shape = 0;
    for (let i = 0; i < conditions.length; i++) if (truthy(row[conditions[i]])) shape |= 1 << i;
    let variant = variants.get(shape);
    if (variant === undefined) {
      // Instead of strict mode's check on every value: the rows share one shape, so a name that
      // the first row of each variant lacks is a bug in the catalog, not an empty cell.
      const missing = names.filter((name) => !(name in row));
      if (missing.length > 0) throw new Error(`internal error: the row template reads ${missing.join(", ")}, which the row lacks`);
      const taken = new Set(conditions.filter((_, i) => (shape & (1 << i)) !== 0));
      variant = { shape, template: handlebars.compile(withBranchesTaken(ast, taken), options) };
      variants.set(shape, variant);
    }
    return variant;
  };
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/** What Handlebars' `{{#if}}` takes for true (without includeZero): not falsy, not an empty array. */
function truthy(value: unknown): boolean {
  return Boolean(value) && !(Array.isArray(value) && value.length === 0);
}

/** The field a `{{#if field}}` tests, when it tests one of the row's own fields. */
function ownFieldCondition(statement: hbs.AST.Statement): string | undefined {
  if (statement.type !== "BlockStatement") return undefined;
  const block = statement as hbs.AST.BlockStatement;
  if (block.path.original !== "if" || block.params.length !== 1 || block.hash !== undefined) return undefined;
  const param = block.params[0] as hbs.AST.PathExpression;
  return param.type === "PathExpression" && !param.data && param.depth === 0 && param.parts.length === 1 ? param.parts[0] : undefined;
}

/** The fields the template's `{{#if}}`s test, in the branches of other `{{#if}}`s too. */
function conditionNames(program: Ast, names: string[] = []): string[] {
  for (const statement of program.body) {
    const name = ownFieldCondition(statement);
    if (name === undefined) continue;
    if (!names.includes(name)) names.push(name);
    const block = statement as hbs.AST.BlockStatement;
    conditionNames(block.program, names);
    if (block.inverse) conditionNames(block.inverse, names);
  }
  return names;
}

/**
 * Every name the template reads from the row: `{{name}}`, a helper's or a block's arguments (not
 * the helper's own name), in the blocks' branches too.
 */
function valueNames(program: Ast, names = new Set<string>()): string[] {
  const read = (expression: hbs.AST.Expression) => {
    const path = expression as hbs.AST.PathExpression;
    if (path.type === "PathExpression" && !path.data && path.depth === 0 && path.parts.length > 0) names.add(path.parts[0]);
  };
  for (const statement of program.body) {
    if (statement.type !== "MustacheStatement" && statement.type !== "BlockStatement") continue;
    const call = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
    if (call.params.length === 0 && call.type === "MustacheStatement") read(call.path);
    call.params.forEach(read);
    if (call.type === "BlockStatement") {
      valueNames(call.program, names);
      if (call.inverse) valueNames(call.inverse, names);
    }
  }
  return [...names];
}

/** The template with each `{{#if field}}` replaced by the statements of the branch it takes. */
function withBranchesTaken(program: Ast, taken: ReadonlySet<string>): Ast {
  const body: hbs.AST.Statement[] = [];
  for (const statement of program.body) {
    const name = ownFieldCondition(statement);
    if (name === undefined) {
      body.push(statement);
      continue;
    }
    const block = statement as hbs.AST.BlockStatement;
    const branch = taken.has(name) ? block.program : block.inverse;
    if (branch) body.push(...withBranchesTaken(branch, taken).body);
  }
  return { ...program, body };
}
