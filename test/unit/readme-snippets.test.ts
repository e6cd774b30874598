import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every ```ts block of README.md is type-checked against the package's public types, so the README cannot drift
 * from the API. Each block is its own ES module (`export {}`, so top-level await works and names never clash
 * between blocks), compiled with the repo's tsconfig.json options in one program for all blocks, with
 * `posthog-ts` and its subpaths mapped to their source entry points (no build needed) and the frameworks and loggers
 * resolved to the real packages in node_modules.
 *
 * Snippets are fragments: they use names the reader is expected to have (`posthog`, `app`, `userId`, ...). Each
 * module gets a prelude declaring those of the names in PRELUDE that its snippet uses and does not bind itself, with
 * their real types. A name missing from PRELUDE fails the block with "Cannot find name", as it should.
 *
 * A block whose sections (a `// ` comment line at the top of the block or after a blank line) each bring their own
 * imports shows alternatives (Express or Fastify or Hono or NestJS; pino or winston or the console), which may
 * reuse a name (`app`, `logger`) with different types: each such section is checked as a module of its own, with the
 * prelude of its own framework. Nothing in a snippet is rewritten or wrapped: the prelude (declarations and
 * imports only) comes before it, so the snippet's own imports stay at the top level of its module.
 */

/** The repo root, with `/` separators as the compiler writes file names. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replaceAll('\\', '/');
const README = path.posix.join(ROOT, 'README.md');
/** Where the snippet modules pretend to live: inside the repo, so node_modules and package.json resolve as usual. */
const SNIPPET_DIR = path.posix.join(ROOT, 'test/unit/__readme_snippets__');
/** A type-check of all blocks takes about 5 s on a 2-core machine. */
const TYPE_CHECK_TIMEOUT_MS = 20_000;

/** The source entry point of each subpath of package.json's `exports` (the tsup entries). */
const SOURCE_ENTRIES: Record<string, string> = {
  '.': 'src/index.ts',
  './testing': 'src/testing/index.ts',
  './pino': 'src/integrations/pino.ts',
  './winston': 'src/integrations/winston.ts',
  './express': 'src/integrations/express.ts',
  './fastify': 'src/integrations/fastify.ts',
  './hono': 'src/integrations/hono.ts',
  './nestjs': 'src/integrations/nestjs.ts',
};

/** The type of `app` in a section, by the posthog-ts framework subpath the section imports. */
const APP_TYPES: Record<string, string> = {
  'posthog-ts/express': "import('express').Express",
  'posthog-ts/fastify': "import('fastify').FastifyInstance",
  'posthog-ts/hono': "import('hono').Hono",
  'posthog-ts/nestjs': "import('@nestjs/common').INestApplication",
};

const ORDER_TYPE = '{ id: string; amount: number }';
/**
 * The free names of the snippets and what they stand for. A function entry depends on the module specifiers the
 * snippet imports (undefined: nothing fits, so the name stays undeclared and the block fails).
 */
const PRELUDE: Record<string, string | ((imports: readonly string[]) => string | undefined)> = {
  // The client, as the Quick start creates it, and its class where a snippet constructs its own.
  posthog: "declare const posthog: import('posthog-ts').PostHog;",
  PostHog: "import { PostHog } from 'posthog-ts';",
  key: 'declare const key: string; // the project API key',
  // The application's own values and functions.
  userId: 'declare const userId: string;',
  sessionId: 'declare const sessionId: string;',
  url: 'declare const url: string;',
  amount: 'declare const amount: number;',
  order: `declare const order: ${ORDER_TYPE};`,
  chargeCard: `declare function chargeCard(order: ${ORDER_TYPE}): Promise<void>;`,
  renderNewCheckout: 'declare function renderNewCheckout(): string;',
  renderOldCheckout: 'declare function renderOldCheckout(): string;',
  // Frameworks: the application object of whichever framework the section integrates with.
  app: (imports) => {
    const types = imports.flatMap((specifier) => APP_TYPES[specifier] ?? []);
    return types.length === 1 ? `declare const app: ${types[0]};` : undefined;
  },
  express: "import express from 'express';",
  handler: "declare const handler: import('express').RequestHandler;",
  // Tests.
  expect: "import { expect } from 'vitest';",
};

interface SnippetLine {
  text: string;
  /** 1-based line number in README.md. */
  readmeLine: number;
}

interface Snippet {
  /** README.md line of the block's opening fence. */
  fenceLine: number;
  lines: SnippetLine[];
}

interface SnippetModule {
  snippet: Snippet;
  /** `README.md:<fence line>`, and the section's first line when the block is checked section by section. */
  title: string;
  fileName: string;
  text: string;
  /** Lines of `text` before the snippet's first line (the prelude). */
  preludeLines: number;
  lines: SnippetLine[];
}

function extractSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  let open: Snippet | undefined;
  let inOtherFence = false;
  markdown.split('\n').forEach((text, index) => {
    const readmeLine = index + 1;
    if (open !== undefined) {
      if (/^```\s*$/.test(text)) {
        snippets.push(open);
        open = undefined;
      } else {
        open.lines.push({ text, readmeLine });
      }
    } else if (inOtherFence) {
      if (/^```\s*$/.test(text)) inOtherFence = false;
    } else if (/^```(ts|typescript)\s*$/.test(text)) {
      open = { fenceLine: readmeLine, lines: [] };
    } else if (text.startsWith('```')) {
      inOtherFence = true;
    }
  });
  if (open !== undefined) throw new Error(`README.md:${open.fenceLine}: the \`\`\`ts block is never closed`);
  return snippets;
}

function importSpecifiers(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) =>
    ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

/** A block's sections, if each brings its own imports (alternatives); otherwise the whole block. */
function splitAlternatives(snippet: Snippet): SnippetLine[][] {
  const sections: SnippetLine[][] = [];
  snippet.lines.forEach((line, index) => {
    const previous = snippet.lines[index - 1];
    const startsSection =
      line.text.startsWith('// ') && (previous === undefined || previous.text.trim() === '');
    if (startsSection || sections.length === 0) sections.push([]);
    sections.at(-1)?.push(line);
  });
  const alternatives =
    sections.length > 1 &&
    sections.every((section) => importSpecifiers(parse(section.map((l) => l.text).join('\n'))).length > 0);
  return alternatives ? sections : [snippet.lines];
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('snippet.mts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Names a module binds at its top level: imports, variables (destructured ones included), functions, classes. */
function topLevelNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else
      for (const element of name.elements) {
        if (!ts.isOmittedExpression(element)) addBinding(element.name);
      }
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** Identifiers the code refers to (not property names, comments or strings): the candidates for the prelude. */
function referencedNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const parent = node.parent;
    const isPropertyName =
      parent !== undefined &&
      ((ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isQualifiedName(parent) && parent.right === node));
    if (ts.isIdentifier(node) && !isPropertyName) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function buildModule(snippet: Snippet, lines: SnippetLine[], isSection: boolean): SnippetModule {
  const body = lines.map((line) => line.text).join('\n');
  const source = parse(body);
  const bound = topLevelNames(source);
  const imports = importSpecifiers(source);
  const prelude: string[] = [];
  const used = referencedNames(source);
  for (const [name, declaration] of Object.entries(PRELUDE)) {
    if (bound.has(name) || !used.has(name)) continue;
    const text = typeof declaration === 'function' ? declaration(imports) : declaration;
    if (text !== undefined) prelude.push(text);
  }
  const first = lines[0]?.readmeLine ?? snippet.fenceLine;
  return {
    snippet,
    title: `README.md:${snippet.fenceLine}` + (isSection ? ` (section at line ${first})` : ''),
    fileName: path.posix.join(SNIPPET_DIR, `readme-L${first}.mts`),
    text: [...prelude, body, 'export {};', ''].join('\n'),
    preludeLines: prelude.length,
    lines,
  };
}

function compilerOptions(): ts.CompilerOptions {
  const tsconfigPath = path.posix.join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const raw = (config.config as { compilerOptions?: unknown }).compilerOptions;
  const converted = ts.convertCompilerOptionsFromJson(raw, ROOT, tsconfigPath);
  if (converted.errors.length > 0) throw new Error(ts.formatDiagnostics(converted.errors, formatHost));

  // `posthog-ts` and each subpath of the `exports` map, to its source entry point (tried before node_modules and
  // the package's own name, which would reach dist/).
  const pkg = JSON.parse(readFileSync(path.posix.join(ROOT, 'package.json'), 'utf8')) as { exports: object };
  const paths: Record<string, string[]> = {};
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === './package.json') continue;
    const entry = SOURCE_ENTRIES[subpath];
    if (entry === undefined)
      throw new Error(`package.json exports ${subpath}: add its source entry to SOURCE_ENTRIES`);
    const file = path.posix.join(ROOT, entry);
    if (!existsSync(file)) throw new Error(`${entry} (the source of ${subpath}) does not exist`);
    paths[`posthog-ts${subpath.slice(1)}`] = [file];
  }
  return { ...converted.options, paths, noEmit: true };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => '\n',
};

/** Type-checks all modules in one program; returns each module's problems, located in README.md. */
function typeCheck(modules: readonly SnippetModule[]): {
  problems: Map<SnippetModule, string[]>;
  global: string[];
} {
  const options = compilerOptions();
  const byName = new Map(modules.map((mod) => [mod.fileName, mod]));
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (fileName) => byName.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => byName.get(fileName)?.text ?? readFile.call(host, fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const mod = byName.get(fileName);
    return mod === undefined
      ? getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, mod.text, languageVersion, true, ts.ScriptKind.TS);
  };
  const program = ts.createProgram({ rootNames: [...byName.keys()], options, host });

  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  const fromDist = program
    .getSourceFiles()
    .filter((file) => file.fileName.startsWith(path.posix.join(ROOT, 'dist/')));
  if (fromDist.length > 0) global.push(`resolved to the build instead of src/: ${fromDist[0]?.fileName}`);

  const problems = new Map<SnippetModule, string[]>();
  for (const mod of modules) {
    const source = program.getSourceFile(mod.fileName);
    if (source === undefined) throw new Error(`${mod.fileName} is not in the program`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    problems.set(
      mod,
      diagnostics.map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        const line =
          diagnostic.start === undefined
            ? undefined
            : source.getLineAndCharacterOfPosition(diagnostic.start).line;
        const snippetLine = line === undefined ? undefined : mod.lines[line - mod.preludeLines];
        const preludeLine = line === undefined ? undefined : mod.text.split('\n')[line];
        const where =
          snippetLine !== undefined
            ? `README.md:${snippetLine.readmeLine}`
            : `README.md:${mod.snippet.fenceLine} (prelude${preludeLine === undefined ? '' : `: ${preludeLine}`})`;
        return `${where}: TS${diagnostic.code}: ${message}`;
      }),
    );
  }
  return { problems, global };
}

const markdown = readFileSync(README, 'utf8');
const snippets = extractSnippets(markdown);
const modules = snippets.flatMap((snippet) => {
  const parts = splitAlternatives(snippet);
  return parts.map((lines) => buildModule(snippet, lines, parts.length > 1));
});

describe('README.md ```ts blocks', () => {
  let result: ReturnType<typeof typeCheck>;

  beforeAll(() => {
    result = typeCheck(modules);
  }, TYPE_CHECK_TIMEOUT_MS);

  it('has blocks to check, and the compiler options and resolution work', () => {
    expect(snippets.length).toBeGreaterThan(10);
    // No ```ts fence is skipped (an indented one, say).
    expect(snippets.length).toBe(markdown.match(/```(ts|typescript)\b/g)?.length);
    expect(result.global).toEqual([]);
  });

  for (const mod of modules) {
    it(`${mod.title} type-checks against the public API`, () => {
      const problems = result.problems.get(mod) ?? ['not type-checked'];
      // One line per diagnostic, with its README line: the failure message differs from block to block, so the
      // reporter does not fold two failing blocks into one.
      expect(problems.join('\n'), `${mod.title} does not type-check`).toBe('');
    });
  }
});
