/**
 * Card templates compiled once into functions that build the card, with the expansion rules of adaptivecards-templating
 * (`Template.expand`). The engine walks the template on every render, copies its evaluation context for every node
 * and reads every `${name}` through adaptive-expressions, whose property lookup lists the object's keys to compare
 * them without case: about a tenth of an FAQ turn's CPU went into its answer card. Here the walk is decided once, and a
 * binding that is a plain path (`${title}`, `${$data}`, `${$root.a.b}`: all our templates bind whole values this way)
 * is read directly. Anything else (a `$when` condition, a function, text around a binding) is still evaluated by
 * adaptive-expressions, as the engine does.
 */
import { Constant, Expression, ExpressionType, Options, SimpleObjectMemory, type MemoryInterface } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';

/**
 * What an expression is read against, as the engine's evaluation context: the data, the current `$data` and `$index`
 * (not the engine's `$host`, which renderCard never passes, nor its `$_acTemplateVersion`, which no template reads).
 */
interface Scope {
  readonly $root: unknown;
  readonly $data: unknown;
  readonly $index: number | undefined;
}

/** A compiled template node: its expanded value (`undefined` leaves a property out, `null` drops an array item). */
type Build = (scope: Scope) => unknown;

/** The engine's own fields: never copied into the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/** A name a path may hold, read as a property (never as an array index): the engine's fields start with `$`. */
const NAME = /^\$?[A-Za-z_]\w*$/;

/** The fields of the engine's context a path may start with and `Scope` holds. */
const CONTEXT_FIELDS = new Set(['$root', '$data', '$index']);

/** Compiles a template (a card's JSON, read-only) into a function of its data, equal to `new Template(t).expand({ $root: data })`. */
export function compileTemplate(template: unknown): (data: unknown) => unknown {
  const build = compileNode(template);
  return (data) => build({ $root: data, $data: data, $index: undefined });
}

function compileNode(node: unknown): Build {
  if (Array.isArray(node)) return compileArray(node);
  if (typeof node === 'string') return compileString(node);
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

/** Items expand in order; an item that expands to several (a `$data` array) is spread, one that is dropped (`null`) left out. */
function compileArray(items: readonly unknown[]): Build {
  const builds = items.map(compileNode);
  return (scope) => {
    const out: unknown[] = [];
    for (const build of builds) {
      const value = build(scope);
      if (value === null) continue;
      if (Array.isArray(value)) out.push(...(value as unknown[]));
      else out.push(value);
    }
    return out;
  };
}

function compileString(text: string): Build {
  const parsed = Template.parseInterpolatedString(text);
  if (typeof parsed === 'string') return () => parsed;
  const path = plainPath(parsed);
  if (path === undefined) return (scope) => evaluate(parsed, scope, true);
  const [first, ...rest] = path;
  // A name without `$` is read in the current `$data`, as the engine's memory prefixes it.
  const start = first === '$root' || first === '$data' || first === '$index' ? first : '$data';
  const names = start === first ? rest : path;
  const unresolved = `\${${path.join('.')}}`;
  return (scope) => {
    let value: unknown = scope[start];
    for (const name of names) value = property(value, name);
    // Left as written when there is no value (null is a value): renderCard then refuses the card.
    return value === undefined ? unresolved : value;
  };
}

/** The names of a binding that is only a path (`title`, `$data`, `$root.a.b`), as adaptive-expressions parsed it. */
function plainPath(expression: Expression): string[] | undefined {
  if (expression.type !== ExpressionType.Accessor) return undefined;
  const [name, parent] = expression.children;
  if (!(name instanceof Constant) || typeof name.value !== 'string' || !NAME.test(name.value)) return undefined;
  const head = parent === undefined ? [] : plainPath(parent);
  if (head === undefined) return undefined;
  // Of the engine's own fields only these three are kept in the scope; the others are left to adaptive-expressions.
  if (name.value.startsWith('$') && (head.length > 0 || !CONTEXT_FIELDS.has(name.value))) return undefined;
  return [...head, name.value];
}

/**
 * An object is repeated for each item of its `$data` (an array), read in the item, and dropped when its `$when` is
 * not true; expanded once it is itself, several times an array of them, never (an empty `$data`, a false `$when`) null.
 */
function compileObject(node: Record<string, unknown>): Build {
  const fields = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => [key, compileNode(node[key])] as const);
  const single = (scope: Scope): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, build] of fields) {
      const value = build(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  const keep = compileWhen(node.$when);
  if (node.$data === undefined && keep === undefined) return single;
  const data = node.$data === undefined ? undefined : compileData(node.$data);
  return (scope) => {
    const value = data?.(scope);
    const items = data === undefined ? [undefined] : Array.isArray(value) ? (value as unknown[]) : [value];
    const out: Record<string, unknown>[] = [];
    let current = scope;
    for (let i = 0; i < items.length; i++) {
      // As the engine: an undefined item keeps the previous item's `$data`; `$index` counts only in an array.
      current = { $root: scope.$root, $data: items[i] !== undefined ? items[i] : current.$data, $index: Array.isArray(value) ? i : current.$index };
      if (keep === undefined || keep(current)) out.push(single(current));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

function compileData(data: unknown): Build {
  if (typeof data !== 'string') throw new Error('card template: a $data must be a binding such as "${items}"');
  return compileString(data);
}

/** `undefined` when there is no condition; a `$when` that is no expression drops its object, as the engine does. */
function compileWhen(when: unknown): ((scope: Scope) => boolean) | undefined {
  if (when === undefined) return undefined;
  const parsed = typeof when === 'string' ? Template.parseInterpolatedString(when) : when;
  if (!(parsed instanceof Expression)) return parsed ? () => false : undefined;
  return (scope) => evaluate(parsed, scope, false) === true;
}

/**
 * adaptive-expressions' property read (its `accessProperty`): any key that equals the name without case, the first
 * one listed. An own key of exactly that name is that one whenever the object has no two keys differing only in case.
 */
function property(instance: unknown, name: string): unknown {
  if (!instance) return undefined;
  if (typeof instance === 'object' && !Array.isArray(instance) && !(instance instanceof Map) && Object.hasOwn(instance, name) && !hasCaseTwin(instance, name)) {
    return (instance as Record<string, unknown>)[name];
  }
  if (instance instanceof Map) {
    const found = instance.get(name) as unknown;
    if (found !== undefined) return found;
    const key = [...instance.keys()].find((k) => String(k).toLowerCase() === name.toLowerCase()) as unknown;
    return key === undefined ? undefined : (instance.get(key) as unknown);
  }
  const key = Object.keys(instance).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (instance as Record<string, unknown>)[key];
}

/** Whether the object has another key equal to `name` without case (then adaptive-expressions may read that one). */
function hasCaseTwin(instance: object, name: string): boolean {
  // Lower-case names without twins are the rule in card data; the check is a cheap scan for the exception.
  const lower = name.toLowerCase();
  for (const key in instance) if (key !== name && key.length === name.length && key.toLowerCase() === lower && Object.hasOwn(instance, key)) return true;
  return false;
}

/** The engine's memory: names without `$` are read in `$data`. */
class ScopeMemory implements MemoryInterface {
  private readonly memory: SimpleObjectMemory;

  constructor(scope: Scope) {
    this.memory = new SimpleObjectMemory(scope);
  }

  getValue(path: string): unknown {
    return this.memory.getValue(path.length > 0 && path[0] !== '$' ? `$data.${path}` : path);
  }

  setValue(path: string, value: unknown): void {
    this.memory.setValue(path, value);
  }

  version(): string {
    return this.memory.version();
  }
}

/** A missing value reads as its binding, left in place (so renderCard refuses the card), as the engine substitutes it. */
const substituting = Object.assign(new Options(), { nullSubstitution: (path: string) => `\${${path}}` });

/** Evaluates an expression the way the engine does (its `internalTryEvaluateExpression`), throwing on an error. */
function evaluate(expression: Expression, scope: Scope, allowSubstitutions: boolean): unknown {
  const memory = new ScopeMemory(scope);
  if (expression.type === ExpressionType.Concat && allowSubstitutions) {
    // Text around bindings: each part on its own, a failed part left as written.
    let text = '';
    for (const child of expression.children) {
      let result: { value: unknown; error: string | undefined };
      try {
        result = child.tryEvaluate(memory, substituting);
      } catch (error) {
        result = { value: undefined, error: String(error) };
      }
      text += result.error ? `\${${child.toString()}}` : String(result.value);
    }
    return text;
  }
  const { value, error } = expression.tryEvaluate(memory, allowSubstitutions ? substituting : undefined);
  // The engine throws for a failed value or $data, and treats a failed $when as false.
  if (error && allowSubstitutions) throw new Error(error);
  return error ? undefined : value;
}
