/**
 * The API report of the generated TypeScript package: what its entry point (src/index.ts)
 * exports, one declaration per section and one member per line, with the types the TypeScript
 * checker gives them. It is committed next to the package and compared between releases, so a
 * line that disappears or changes is API that consumers lose (a major release) and a line that
 * appears is API they gain (a minor one). Unions of literals and enums are printed one member
 * per line, so that an added enum value reads as an addition and a removed one as a removal.
 *
 * ts-morph (with its own TypeScript compiler) is loaded only when a report is made, by the CLI
 * commands `generate`, `check` and `release`; the plugin that buf starts never loads it.
 */
import { join, resolve } from "node:path";
import type { ClassDeclaration, Node as MorphNode, Project, Signature, SourceFile, Symbol as MorphSymbol, Type } from "ts-morph";

/** The package's sources, by path relative to the package directory (`src/index.ts`, ...). */
export type PackageSources = ReadonlyMap<string, string>;

export interface ApiReportInput {
  readonly packageName: string;
  /** Where the package will live, for module resolution of its dependencies (node_modules above it). */
  readonly packageDir: string;
  readonly sources: PackageSources;
  /** The package directory as the report names it (e.g. generated/ts). */
  readonly shownDir: string;
}

/** One exported declaration: its heading and its members, in declaration order. */
export interface ApiSection {
  readonly heading: string;
  readonly members: readonly string[];
}

type Morph = typeof import("ts-morph");

export async function apiReport(input: ApiReportInput): Promise<string> {
  const morph: Morph = await import("ts-morph");
  const sections = readSections(morph, input);
  return printReport(input, sections);
}

function readSections(morph: Morph, input: ApiReportInput): ApiSection[] {
  const { Project } = morph;
  const project: Project = new Project({
    compilerOptions: {
      target: morph.ts.ScriptTarget.ES2022,
      module: morph.ts.ModuleKind.NodeNext,
      moduleResolution: morph.ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  // The staged sources stand in memory at the paths they will have, so that the package's
  // dependencies (@bufbuild/protobuf) resolve from the project's node_modules as they will there.
  const root = resolve(input.packageDir);
  for (const [path, text] of [...input.sources].sort(([a], [b]) => a.localeCompare(b))) {
    if (path.endsWith(".ts")) project.createSourceFile(join(root, path), text, { overwrite: true });
  }
  project.resolveSourceFileDependencies();
  const index = project.getSourceFileOrThrow(join(root, "src/index.ts"));
  const printer = new TypePrinter(morph, index);
  const sections: ApiSection[] = [];
  for (const [name, declarations] of index.getExportedDeclarations()) {
    for (const declaration of declarations) sections.push(printer.section(name, declaration));
  }
  return sections.sort((a, b) => sectionName(a).localeCompare(sectionName(b)) || a.heading.localeCompare(b.heading));
}

/** The declared name of a section, for a stable order whatever the index's order. */
function sectionName(section: ApiSection): string {
  return section.heading.replace(/^(?:abstract class|class|interface|type|enum|const|function) /, "").split(/[^\w$]/)[0]!;
}

class TypePrinter {
  private readonly flags: number;

  constructor(
    private readonly morph: Morph,
    private readonly index: SourceFile,
  ) {
    const f = morph.TypeFormatFlags;
    this.flags = f.NoTruncation | f.UseAliasDefinedOutsideCurrentScope;
  }

  section(name: string, declaration: MorphNode): ApiSection {
    const { Node } = this.morph;
    if (Node.isClassDeclaration(declaration)) return this.classSection(name, declaration);
    if (Node.isEnumDeclaration(declaration)) {
      return { heading: `enum ${name}`, members: declaration.getMembers().map((m) => `${m.getName()} = ${JSON.stringify(m.getValue())}`) };
    }
    if (Node.isFunctionDeclaration(declaration)) {
      return { heading: `function ${name}`, members: declaration.getType().getCallSignatures().map((s) => this.signature(name, s)) };
    }
    if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration)) {
      return this.typeSection(`${Node.isInterfaceDeclaration(declaration) ? "interface" : "type"} ${name}${this.typeParameters(declaration)}`, declaration.getType(), declaration);
    }
    if (Node.isVariableDeclaration(declaration)) {
      // Object literals (TOPICS, PUBSUB_LIMITS) member by member; a named type (GenMessage<Contract>) as it is named.
      const type = declaration.getType();
      const literal = type.isObject() && !type.isArray() && !type.isTuple() && type.getSymbol()?.getName() === "__object";
      return literal ? this.typeSection(`const ${name}`, type, declaration) : { heading: `const ${name}: ${this.text(type)}`, members: [] };
    }
    return { heading: `${declaration.getKindName()} ${name}`, members: [] };
  }

  private typeParameters(node: MorphNode): string {
    const { Node } = this.morph;
    if (!Node.isTypeParametered(node) || node.getTypeParameters().length === 0) return "";
    return `<${node.getTypeParameters().map((p) => p.getText()).join(", ")}>`;
  }

  /** A union of literals one member per line; an object type's properties; anything else as one type. */
  private typeSection(heading: string, type: Type, at: MorphNode): ApiSection {
    if (type.isUnion() && type.getUnionTypes().every((t) => t.isLiteral() || t.isBooleanLiteral() || t.isUndefined() || t.isNull())) {
      return { heading: `${heading} =`, members: type.getUnionTypes().map((t) => `| ${this.text(t)}`).sort() };
    }
    if ((type.isObject() || type.isIntersection()) && type.getCallSignatures().length === 0 && type.getConstructSignatures().length === 0) {
      return { heading, members: type.getProperties().map((p) => this.property(p, at, "")).sort() };
    }
    return { heading: `${heading}: ${this.text(type)}`, members: [] };
  }

  private classSection(name: string, declaration: ClassDeclaration): ApiSection {
    const base = declaration.getExtends();
    const heading = `${declaration.isAbstract() ? "abstract class" : "class"} ${name}${this.typeParameters(declaration)}${base === undefined ? "" : ` extends ${base.getText()}`}`;
    const members: string[] = [];
    const statics = declaration.getSymbolOrThrow().getTypeAtLocation(declaration);
    for (const signature of statics.getConstructSignatures()) members.push(this.signature("constructor", signature).replace(/: [^:]*$/, ""));
    for (const property of statics.getProperties()) {
      if (property.getName() !== "prototype" && !this.isPrivate(property)) members.push(this.property(property, declaration, "static "));
    }
    for (const property of declaration.getType().getProperties()) {
      if (!this.isPrivate(property)) members.push(this.property(property, declaration, ""));
    }
    return { heading, members: [...new Set(members)].sort() };
  }

  private isPrivate(symbol: MorphSymbol): boolean {
    const { Node } = this.morph;
    return symbol.getName().startsWith("#") || symbol.getDeclarations().some((d) => Node.isModifierable(d) && d.hasModifier(this.morph.SyntaxKind.PrivateKeyword));
  }

  private property(symbol: MorphSymbol, at: MorphNode, prefix: string): string {
    const { Node, SyntaxKind } = this.morph;
    const declaration = symbol.getDeclarations()[0];
    const type = symbol.getTypeAtLocation(at);
    const isMethod = declaration !== undefined && (Node.isMethodDeclaration(declaration) || Node.isMethodSignature(declaration));
    const protectedMark = declaration !== undefined && Node.isModifierable(declaration) && declaration.hasModifier(SyntaxKind.ProtectedKeyword) ? "protected " : "";
    if (isMethod) {
      return type.getCallSignatures().map((s) => `${prefix}${protectedMark}${this.signature(symbol.getName(), s)}`).join("\n");
    }
    const getterOnly = symbol.getDeclarations().length > 0 && symbol.getDeclarations().every((d) => Node.isGetAccessorDeclaration(d));
    const readonly = getterOnly || (declaration !== undefined && Node.isModifierable(declaration) && declaration.hasModifier(SyntaxKind.ReadonlyKeyword)) ? "readonly " : "";
    const optional = symbol.isOptional() ? "?" : "";
    // An event class's description is the contract's comment: documentation, not API.
    if (prefix === "static " && symbol.getName() === "description" && type.isStringLiteral()) return `${prefix}${readonly}description: string`;
    return `${prefix}${protectedMark}${readonly}${symbol.getName()}${optional}: ${this.text(optional ? type.getNonNullableType() : type)}`;
  }

  private signature(name: string, signature: Signature): string {
    const { Node } = this.morph;
    const parameters = signature.getParameters().map((p) => {
      const declaration = p.getDeclarations()[0];
      const optional = declaration !== undefined && Node.isParameterDeclaration(declaration) && declaration.isOptional() ? "?" : "";
      const rest = declaration !== undefined && Node.isParameterDeclaration(declaration) && declaration.isRestParameter() ? "..." : "";
      const type = p.getTypeAtLocation(this.index);
      return `${rest}${p.getName()}${optional}: ${this.text(optional ? type.getNonNullableType() : type)}`;
    });
    const typeParameters = signature.getTypeParameters();
    const generic = typeParameters.length === 0 ? "" : `<${typeParameters.map((t) => this.text(t)).join(", ")}>`;
    return `${name}${generic}(${parameters.join(", ")}): ${this.text(signature.getReturnType())}`;
  }

  /** A type as the index would name it, without import("...") paths, which depend on the file layout. */
  private text(type: Type): string {
    return type.getText(this.index, this.flags).replace(/import\("[^"]*"\)\./g, "");
  }
}

function printReport(input: ApiReportInput, sections: readonly ApiSection[]): string {
  const lines = [
    `# API report of ${input.packageName}`,
    "",
    `<!-- Written by protoc-gen-entity generate from ${input.shownDir}/src/index.ts; \`protoc-gen-entity check\` fails when it is stale. -->`,
    "",
    "What the package exports, one member per line. In review: a removed or changed line breaks consumers",
    "(the next release is a major one), an added line is new API (minor). `protoc-gen-entity release` derives",
    "the version from this file's difference with the last release's copy in generated/release/.",
    "",
  ];
  for (const section of sections) {
    lines.push(`## ${section.heading}`, "");
    if (section.members.length > 0) {
      lines.push("```ts", ...section.members.flatMap((m) => m.split("\n")), "```", "");
    }
  }
  return lines.join("\n");
}
