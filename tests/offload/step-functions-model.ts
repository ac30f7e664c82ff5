/**
 * A modelled Step Functions execution, enough for the offload samples: `Task`
 * states of `arn:aws:states:::lambda:invoke` with `Payload.$: $` and
 * `OutputPath: $.Payload` (run through the local invoke front end, which fails
 * an output over 262,144 bytes with `States.DataLimitExceeded`), `Choice`
 * states with `StringEquals` and `IsPresent` on a `$.a.b` variable, `Succeed`
 * and `Pass` states. Anything else in a definition is refused, so a sample
 * that grows past the model fails loudly instead of being run wrong.
 */
import { type InvokeFrontEnd, runTask } from '../../samples/local/invoke-server.js';

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly OutputPath?: string;
  readonly Choices?: readonly { Variable: string; StringEquals?: string; IsPresent?: boolean; Next: string }[];
  readonly Default?: string;
  readonly Next?: string;
  readonly End?: boolean;
}

/** A state machine definition (Amazon States Language). */
export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** How an execution ended, and the states it went through. */
export type Execution =
  | { readonly ok: true; readonly output: unknown; readonly visited: readonly string[]; readonly states: readonly unknown[] }
  | { readonly ok: false; readonly error: string; readonly visited: readonly string[] };

/** The value at `$.a.b` (dot steps only), or `undefined`. */
function at(value: unknown, variable: string): unknown {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(variable)) throw new Error(`The model reads $.a.b variables only, not ${variable}`);
  let node = value;
  for (const name of variable.slice(2).split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, name)) return undefined;
    node = (node as Record<string, unknown>)[name];
  }
  return node;
}

/**
 * Run `definition` on `input`; `functions` maps each `FunctionName` (after
 * `DefinitionSubstitutions`, e.g. `${ProduceArn}`) to a function of the front end.
 */
export async function execute(definition: Definition, input: unknown, frontEnd: InvokeFrontEnd, functions: Record<string, string>): Promise<Execution> {
  const visited: string[] = [];
  const states: unknown[] = [];
  let state: unknown = JSON.parse(JSON.stringify(input));
  for (let name: string | undefined = definition.StartAt; name !== undefined; ) {
    const s: State | undefined = definition.States[name];
    if (s === undefined) throw new Error(`No state ${name}`);
    visited.push(name);
    let next: string | undefined;
    switch (s.Type) {
      case 'Task': {
        if (s.Resource !== 'arn:aws:states:::lambda:invoke' || s.Parameters?.['Payload.$'] !== '$' || s.OutputPath !== '$.Payload') {
          throw new Error(`The model runs lambda:invoke tasks with Payload.$: $ and OutputPath: $.Payload only (${name})`);
        }
        const fn = functions[String(s.Parameters.FunctionName)];
        if (fn === undefined) throw new Error(`No function for ${String(s.Parameters.FunctionName)}`);
        const outcome = await runTask(frontEnd, fn, state);
        if (!outcome.ok) return { ok: false, error: outcome.error, visited };
        state = outcome.output;
        next = s.End === true ? undefined : s.Next;
        break;
      }
      case 'Choice': {
        const rule = s.Choices?.find((c) => {
          const v = at(state, c.Variable);
          if (c.StringEquals !== undefined) return v === c.StringEquals;
          if (c.IsPresent !== undefined) return (v !== undefined) === c.IsPresent;
          throw new Error(`The model reads StringEquals and IsPresent rules only (${name})`);
        });
        next = rule?.Next ?? s.Default;
        if (next === undefined) return { ok: false, error: 'States.NoChoiceMatched', visited };
        break;
      }
      case 'Succeed':
        next = undefined;
        break;
      case 'Pass':
        next = s.End === true ? undefined : s.Next;
        break;
      default:
        throw new Error(`The model does not run ${s.Type} states (${name})`);
    }
    states.push(state);
    name = next;
  }
  return { ok: true, output: state, visited, states };
}
