/**
 * The Teams app package: appPackage/manifest.json (a template with `${{name}}` placeholders) filled from the
 * configuration, checked offline against the manifest and localization schemas that `@microsoft/app-manifest`
 * bundles, and zipped with its icons and localization files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import type { PackageConfig } from '../bot/config.js';

/** The project's appPackage/ folder. */
export const APP_PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');

/** The icons Teams requires, with their sizes in pixels. */
export const ICON_SIZES = { 'color.png': 192, 'outline.png': 32 } as const;

/** A JSON object as read from a file. */
type Json = Record<string, unknown>;

/** Thrown when the package cannot be built; its message lists every problem. */
export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app package is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

const schemaRoot = path.join(path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest')), 'json-schemas');

/**
 * Reads a schema from the copies bundled in `@microsoft/app-manifest`, never from the network: a `$schema` URL
 * that has no bundled copy is an error.
 */
export function bundledSchema(schemaUrl: unknown): Json {
  const prefix = 'https://developer.microsoft.com/json-schemas/';
  if (typeof schemaUrl !== 'string' || !schemaUrl.startsWith(prefix)) throw new PackageError([`$schema ${String(schemaUrl)} is not a Microsoft schema URL`]);
  const file = path.join(schemaRoot, ...schemaUrl.slice(prefix.length).split('/'));
  if (!file.startsWith(schemaRoot + path.sep)) throw new PackageError([`$schema ${schemaUrl} is not a Microsoft schema URL`]);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    throw new PackageError([`$schema ${schemaUrl} is not bundled with @microsoft/app-manifest (no offline copy)`]);
  }
  // The published schemas contain \a and \v escapes that JSON.parse refuses; the library cleans them the same way.
  // The localization schemas also write `\b]` in patterns, a literal `]` that the validator's unicode regular
  // expressions refuse to compile: escaping it keeps the meaning.
  const cleaned = raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b').replaceAll('\\\\b]', '\\\\b\\\\]');
  return JSON.parse(cleaned) as Json;
}

/** Validates a manifest or localization file against the bundled schema its `$schema` names; [] when valid. */
export async function validateAgainstBundledSchema(document: Json): Promise<string[]> {
  const schema = bundledSchema(document.$schema);
  return AppManifestUtils.validateAgainstSchema(document as unknown as TeamsManifest, schema as never);
}

/** The manifest template and every localization file it lists, as committed. */
export function readAppPackageSources(dir: string = APP_PACKAGE_DIR): { template: Json; localizations: Map<string, Json> } {
  const template = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Json;
  const localizations = new Map<string, Json>();
  for (const { file } of localizationFiles(template)) {
    localizations.set(file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json);
  }
  return { template, localizations };
}

/** The additional languages a manifest declares, with their files. */
export function localizationFiles(manifest: Json): Array<{ languageTag: string; file: string }> {
  const info = manifest.localizationInfo as { additionalLanguages?: Array<{ languageTag: string; file: string }> } | undefined;
  return info?.additionalLanguages ?? [];
}

/** Replaces every `${{name}}` in the template's strings; an unknown name is an error, so none can survive. */
export function fillManifest(template: Json, values: Record<string, string>): Json {
  const unknown = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\$\{\{(\w+)\}\}/g, (_m, name: string) => {
        if (!(name in values)) unknown.add(name);
        return values[name] ?? '';
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const filled = fill(template) as Json;
  if (unknown.size > 0) throw new PackageError([...unknown].map((name) => `manifest.json: no value for \${{${name}}}`));
  return filled;
}

/** The placeholder values of a configuration: ids, version, the public host and the publisher's pages. */
export function manifestValues(config: PackageConfig, version: string): Record<string, string> {
  return {
    MicrosoftAppId: config.appId,
    version,
    // validDomains takes a host (and port, if any), never a scheme or path.
    publicHost: new URL(config.publicBaseUrl).host,
    developerName: config.developer.name,
    websiteUrl: config.developer.websiteUrl,
    privacyUrl: config.developer.privacyUrl,
    termsOfUseUrl: config.developer.termsOfUseUrl,
  };
}

/**
 * Checks what the schemas cannot: every localized key names something the manifest has (a command title or
 * description at that index), and each localization covers every command.
 */
export function localizationProblems(manifest: Json, file: string, localization: Json): string[] {
  const expected = new Set<string>();
  const bots = (manifest.bots as Array<{ commandLists?: Array<{ commands: Array<{ description?: string }> }> }> | undefined) ?? [];
  bots[0]?.commandLists?.forEach((list, i) =>
    list.commands.forEach((command, j) => {
      expected.add(`bots[0].commandLists[${i}].commands[${j}].title`);
      if (command.description !== undefined) expected.add(`bots[0].commandLists[${i}].commands[${j}].description`);
    }),
  );
  const problems: string[] = [];
  for (const key of Object.keys(localization)) {
    if (key.startsWith('bots[') && !expected.has(key)) problems.push(`${file}: ${key} has no counterpart in manifest.json`);
  }
  for (const key of expected) if (!(key in localization)) problems.push(`${file}: ${key} is missing`);
  if (localization.$schema !== String(manifest.$schema).replace('MicrosoftTeams.schema.json', 'MicrosoftTeams.Localization.schema.json')) {
    problems.push(`${file}: $schema must be the localization schema of manifest version ${String(manifest.manifestVersion)}`);
  }
  return problems;
}

/** Problems of an icon: not a PNG, wrong size, or (the outline) not white on transparency. */
export function iconProblems(name: keyof typeof ICON_SIZES, bytes: Buffer): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    return [`${name}: is not a PNG file`];
  }
  const size = ICON_SIZES[name];
  if (png.width !== size || png.height !== size) return [`${name}: is ${png.width}×${png.height}, Teams needs ${size}×${size}`];
  if (name === 'outline.png') {
    for (let at = 0; at < png.data.length; at += 4) {
      const [r, g, b, a] = [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!, png.data[at + 3]!];
      if (a > 0 && (r !== 255 || g !== 255 || b !== 255)) return [`${name}: must be white on a transparent background`];
    }
  }
  return [];
}

/** A built package: the filled manifest, every file of the zip, and the zip itself. */
export interface AppPackage {
  readonly manifest: Json;
  readonly files: ReadonlyMap<string, Buffer>;
  readonly zip: Buffer;
}

/** Fills, validates and zips the package; throws a `PackageError` listing every problem. */
export async function buildAppPackage(config: PackageConfig, version: string, dir: string = APP_PACKAGE_DIR): Promise<AppPackage> {
  const { template, localizations } = readAppPackageSources(dir);
  const manifest = fillManifest(template, manifestValues(config, version));
  const problems = (await validateAgainstBundledSchema(manifest)).map((p) => `manifest.json: ${p}`);
  const files = new Map<string, Buffer>([['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]]);
  for (const [file, localization] of localizations) {
    problems.push(...(await validateAgainstBundledSchema(localization)).map((p) => `${file}: ${p}`));
    problems.push(...localizationProblems(manifest, file, localization));
    files.set(file, readFileSync(path.join(dir, file)));
  }
  for (const name of Object.keys(ICON_SIZES) as Array<keyof typeof ICON_SIZES>) {
    const bytes = readFileSync(path.join(dir, name));
    problems.push(...iconProblems(name, bytes));
    files.set(name, bytes);
  }
  if (problems.length > 0) throw new PackageError(problems);
  const zip = new JSZip();
  // A fixed date keeps the zip identical for identical inputs.
  for (const [name, bytes] of files) zip.file(name, bytes, { date: new Date('2026-01-01T00:00:00Z') });
  return { manifest, files, zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) };
}
