import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The project rule: TSDoc on every public symbol, checked with the compiler over the source of every entry point
 * in package.json's `exports` (mapped to src/ through tsup.config.ts).
 *
 * Checked, each declaration once however many entries export it:
 * - every export of an entry, re-exports and aliases followed to the declaration;
 * - the public members of exported classes and interfaces, static and inherited ones included: properties,
 *   methods, accessors;
 * - the constructor `new` runs for an exported class (its own or an inherited one) when it takes arguments.
 *
 * Documented means a non-empty comment, or a tag with text such as `@deprecated Use X.`. A member or
 * constructor without a comment of its own counts as documented when the one it overrides, implements or
 * inherits is documented.
 *
 * Exempt:
 * - `private`, `protected` and `#` members, and members tagged `@internal` (how the codebase marks the layers of
 *   the client that are not API);
 * - members declared outside src/ (Error's `message`, a peer library's interface);
 * - the members of object types written inside a type alias or a property's type: such aliases are discriminated
 *   unions of small records (`CaptureResult`) whose arms the alias doc describes, or mapped types over a class
 *   checked in its own right (`IPostHog`); likewise string-literal unions need only the alias doc;
 * - parameters, index and call signatures, which the doc of their function or interface covers.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Entry {
  /** The import specifier users write: `posthog-ts`, `posthog-ts/pino`. */
  specifier: string;
  /** The source file tsup builds the entry from. */
  file: string;
}

/** tsup's `entry` map (output name → source file), read from the config's syntax rather than by running it. */
function tsupEntries(): Map<string, string> {
  const path = join(ROOT, 'tsup.config.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const entries = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'entry' &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const prop of node.initializer.properties) {
        if (!ts.isPropertyAssignment(prop) || !ts.isStringLiteral(prop.initializer)) continue;
        const name = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : '';
        entries.set(name, prop.initializer.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return entries;
}

/** Every subpath of package.json's `exports` that has code, mapped through its `dist/<name>` build to src/. */
function entryPoints(): Entry[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: { types?: string } }>;
  };
  const tsup = tsupEntries();
  const entries: Entry[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const types = target.import?.types ?? '';
    const built = /^\.\/dist\/([^/]+)\.d\.ts$/.exec(types)?.[1];
    const file = built === undefined ? undefined : tsup.get(built);
    if (file === undefined) throw new Error(`exports["${subpath}"] has no tsup entry: "${types}"`);
    entries.push({ specifier: pkg.name + subpath.slice(1), file: join(ROOT, file) });
  }
  return entries;
}

function compilerOptions(): ts.CompilerOptions {
  const path = join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
}

function hasTag(decl: ts.Node, name: string): boolean {
  return ts.getJSDocTags(decl).some((tag) => tag.tagName.text === name);
}

function isSourceDeclaration(decl: ts.Declaration): boolean {
  const file = decl.getSourceFile();
  return !file.isDeclarationFile && relative(ROOT, file.fileName).split(/[\\/]/)[0] === 'src';
}

/** The symbol's own documentation, or that of the member it overrides or implements (TypeScript resolves it). */
function isDocumented(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '') return true;
  // A comment made of tags only, such as `@deprecated Use X.`, still tells the reader something.
  return symbol
    .getJsDocTags(checker)
    .some((tag) => tag.name !== 'internal' && ts.displayPartsToString(tag.text).trim() !== '');
}

function location(decl: ts.Declaration): string {
  const file = decl.getSourceFile();
  const at = ts.getNameOfDeclaration(decl) ?? decl;
  const { line } = file.getLineAndCharacterOfPosition(at.getStart(file));
  return `${relative(ROOT, file.fileName).split('\\').join('/')}:${line + 1}`;
}

function isExemptMember(decl: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(decl);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  const name = ts.getNameOfDeclaration(decl);
  if (name && ts.isPrivateIdentifier(name)) return true;
  return hasTag(decl, 'internal');
}

/** The class a class extends, when it is declared in this program. */
function baseClass(cls: ts.ClassLikeDeclaration, checker: ts.TypeChecker): ts.ClassDeclaration | undefined {
  const base = cls.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  return (
    base && checker.getTypeAtLocation(base.expression).getSymbol()?.declarations?.find(ts.isClassDeclaration)
  );
}

/** The constructor `new` runs: the class's own, or the nearest base class's when it declares none. */
function effectiveConstructor(
  cls: ts.ClassDeclaration,
  checker: ts.TypeChecker,
): ts.ConstructorDeclaration | undefined {
  for (let at: ts.ClassDeclaration | undefined = cls; at; at = baseClass(at, checker)) {
    const ctor = at.members.find(ts.isConstructorDeclaration);
    if (ctor) return ctor;
  }
  return undefined;
}

/** A constructor's documentation, or that of the nearest base class constructor (TypeScript does not look). */
function constructorDocumented(ctor: ts.ConstructorDeclaration, checker: ts.TypeChecker): boolean {
  const cls = ctor.parent;
  const symbol = cls.name && checker.getSymbolAtLocation(cls.name);
  const own = symbol?.members?.get(ts.InternalSymbolName.Constructor);
  if (own && isDocumented(own, checker)) return true;
  const base = baseClass(cls, checker);
  const inherited = base && effectiveConstructor(base, checker);
  return inherited !== undefined && constructorDocumented(inherited, checker);
}

interface Finding {
  entry: string;
  name: string;
  at: string;
}

interface Audit {
  findings: Finding[];
  /** Exported symbols checked, each counted once however many entries export it. */
  symbols: number;
  /** Public members and constructors checked, each declaration counted once. */
  members: number;
}

function audit(): Audit {
  const entries = entryPoints();
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    compilerOptions(),
  );
  const checker = program.getTypeChecker();

  // Every entry's exports, re-exports followed to the declared symbol. A symbol exported from several entries
  // (LogLevel from the root and from ./pino) is checked once, under the first.
  const exports: { entry: Entry; name: string; alias: ts.Symbol; target: ts.Symbol }[] = [];
  const publicTargets = new Set<ts.Symbol>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`no module symbol for ${entry.file}`);
    for (const alias of checker.getExportsOfModule(moduleSymbol)) {
      const target = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias;
      if (publicTargets.has(target)) continue;
      publicTargets.add(target);
      exports.push({ entry, name: alias.name, alias, target });
    }
  }

  const findings: Finding[] = [];
  const checkedMembers = new Set<ts.Declaration>();
  const report = (entry: Entry, name: string, decl: ts.Declaration | undefined): void => {
    findings.push({ entry: entry.specifier, name, at: decl ? location(decl) : '(no declaration)' });
  };

  // An inherited member is named after the class or interface declaring it when that one is public too
  // (`EventClient.flush`, not `PostHog.flush`), and after the exported symbol it was reached through otherwise.
  const ownerName = (decl: ts.Declaration, fallback: string): string => {
    const parent = decl.parent as ts.Declaration | undefined;
    const parentSymbol =
      parent && (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) && parent.name;
    const symbol = parentSymbol ? checker.getSymbolAtLocation(parentSymbol) : undefined;
    return symbol && publicTargets.has(symbol) ? symbol.name : fallback;
  };

  const checkMember = (entry: Entry, owner: string, member: ts.Symbol): void => {
    const decls = (member.declarations ?? []).filter(isSourceDeclaration);
    // Any declaration exempts the member: a getter marked `@internal` covers its setter.
    if (decls.length === 0 || decls.some(isExemptMember)) return;
    if (decls.every((decl) => checkedMembers.has(decl))) return;
    for (const decl of decls) checkedMembers.add(decl);
    if (!isDocumented(member, checker)) {
      report(entry, `${ownerName(decls[0]!, owner)}.${checker.symbolToString(member)}`, decls[0]);
    }
  };

  for (const { entry, name, alias, target } of exports) {
    const decls = target.declarations ?? [];
    if (!isDocumented(target, checker) && !isDocumented(alias, checker)) report(entry, name, decls[0]);

    if (target.flags & ts.SymbolFlags.Class) {
      // `new X(...)` takes the arguments of the constructor it runs, declared on X or inherited.
      const cls = decls.find(ts.isClassDeclaration);
      const ctor = cls && effectiveConstructor(cls, checker);
      const checkCtor =
        ctor && ctor.parameters.length > 0 && isSourceDeclaration(ctor) && !isExemptMember(ctor);
      if (checkCtor && !checkedMembers.has(ctor)) {
        checkedMembers.add(ctor);
        if (!constructorDocumented(ctor, checker))
          report(entry, `${ownerName(ctor, name)}.constructor`, ctor);
      }
      const statics = checker.getTypeOfSymbol(target).getProperties();
      for (const member of statics) if (member.name !== 'prototype') checkMember(entry, name, member);
    }
    if (target.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
      for (const member of checker.getDeclaredTypeOfSymbol(target).getProperties()) {
        checkMember(entry, name, member);
      }
    }
  }
  return { findings, symbols: publicTargets.size, members: checkedMembers.size };
}

describe('public API documentation', () => {
  it('has TSDoc on every exported symbol and public member of every entry point', { timeout: 15_000 }, () => {
    const { findings, symbols, members } = audit();
    // Guards against the audit silently checking nothing (an entry that no longer resolves, say).
    expect(symbols).toBeGreaterThan(100);
    expect(members).toBeGreaterThan(100);
    const lines = findings.map((f) => `${f.entry}: ${f.name} (${f.at})`);
    if (lines.length > 0) {
      expect.fail(`${lines.length} undocumented public symbols or members:\n${lines.join('\n')}`);
    }
  });
});
