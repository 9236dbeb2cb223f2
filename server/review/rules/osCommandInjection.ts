// OS command injection: untrusted data in a command that a shell interprets, or choosing the program
// to run. An argument vector without a shell (`subprocess.run(["ls", name])`, `spawn("ls", [name])`)
// passes each element to the program as one argument, so only its first element, the program, counts;
// `["sh", "-c", script]` is a shell again, and then the script counts.
import { objectProperty, type CallSite } from '../calls';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { stringValue } from '../syntax';
import { assignedValue, importedNames, qualifiedCallee, reportTainted, sinkName, taintedAmong, type TaintedArgument } from './taintedSinks';

/** Python calls that always run their first argument through a shell. */
const pythonShellCalls = /^(os\.(system|popen[234]?)|commands\.(getoutput|getstatusoutput)|subprocess\.(getoutput|getstatusoutput)|asyncio\.create_subprocess_shell|popen2\.popen[234])$/;

/** Python calls that run a program from an argument vector or a string, with an optional `shell=`. */
const pythonProcessCalls = /^subprocess\.(run|call|Popen|check_call|check_output)$/;

const shells = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;
const shellFlags = /^(-c|\/c|\/C|-Command)$/;

export const osCommandInjection: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'os-command-injection',
    title: 'OS command injection',
    category: 'security',
    severity: 'error',
    cwe: 78,
    why:
      'A command line built from request data and run through a shell lets an attacker add their own ' +
      'commands with `;`, `|`, `&&` or `$(...)` and run them with the privileges of the service. Avoid the ' +
      'shell: run the program with an argument list, so each value reaches it as one argument, validate ' +
      'values against an allow-list, and never let untrusted data choose the program itself.',
    examples: {
      python: {
        noncompliant: 'subprocess.run(f"ping -c 1 {request.args[\'host\']}", shell=True)',
        compliant: 'subprocess.run(["ping", "-c", "1", request.args["host"]])',
      },
      java: {
        noncompliant: 'Runtime.getRuntime().exec("ping -c 1 " + request.getParameter("host"));',
        compliant: 'new ProcessBuilder("ping", "-c", "1", request.getParameter("host")).start();',
      },
      javascript: {
        noncompliant: 'child_process.exec(`ping -c 1 ${req.query.host}`);',
        compliant: "child_process.execFile('ping', ['-c', '1', req.query.host]);",
      },
      typescript: {
        noncompliant: 'childProcess.execSync(`ping -c 1 ${req.query.host}`);',
        compliant: "childProcess.spawnSync('ping', ['-c', '1', String(req.query.host)]);",
      },
    },
  },
  check(context: RuleContext) {
    const imports = importedNames(context);
    const hits: TaintedArgument[] = [];
    for (const call of context.calls()) {
      const command = commandArguments(context, call, qualifiedCallee(imports, call));
      const hit = command.length > 0 ? taintedAmong(context, call, command) : undefined;
      if (hit) hits.push(hit);
    }
    reportTainted(context, hits, (hit) => `Untrusted data from ${hit.source.description} is part of the OS command run by ${sinkName(hit.call)}.`);
  },
};

/** The parts of the command that must not carry untrusted data, if `call` runs a command. */
function commandArguments(context: RuleContext, call: CallSite, callee: string): (Node | undefined)[] {
  const first = call.args[0];
  switch (context.language) {
    case 'python': {
      if (pythonShellCalls.test(callee)) return [first ?? call.keywords.get('cmd') ?? call.keywords.get('command')];
      if (/^(os\.exec\w+|asyncio\.create_subprocess_exec)$/.test(callee)) return [first];
      if (/^os\.spawn\w+$/.test(callee)) return [call.args[1]];
      if (!pythonProcessCalls.test(callee)) return [];
      const command = first ?? call.keywords.get('args');
      if (!command) return [];
      const shell = call.keywords.get('shell');
      if (shell && !/^(False|None|0)$/.test(shell.text)) return [command];
      return programOf(context, command);
    }
    case 'java':
      if (call.name === 'exec' && call.receiver && first) return programOf(context, first);
      if (call.isConstructor && call.name === 'ProcessBuilder') return call.args.length === 1 && first ? programOf(context, first) : shellOrProgram(call.args);
      if (call.name === 'command' && /(pb|processBuilder|builder)$/i.test(call.receiver?.text ?? '')) return call.args.length === 1 && first ? programOf(context, first) : shellOrProgram(call.args);
      if (call.callee === 'CommandLine.parse') return [first];
      return [];
    default: {
      const shellAlways = /^(child_process\.(exec|execSync)|shelljs\.exec|execa\.(execaCommand|execaCommandSync|command|commandSync))$/;
      const program = /^child_process\.(spawn|spawnSync|execFile|execFileSync)$/;
      if (shellAlways.test(callee) || (call.receiver && /^(child_process|childProcess|cp)\.(exec|execSync)$/.test(callee))) return [first];
      if (!program.test(callee) && !(call.receiver && /^(child_process|childProcess|cp)\.(spawn|spawnSync|execFile|execFileSync)$/.test(callee))) return [];
      const argv = call.args[1]?.type === 'array' ? call.args[1] : undefined;
      const options = call.args.find((a) => a.type === 'object');
      const shell = objectProperty(options, 'shell');
      if (shell && !/^(false|undefined|null)$/.test(shell.text)) return [first, argv];
      return shellOrProgram([first, ...(argv ? elements(argv) : [])]);
    }
  }
}

/** A command given as one value: a list literal (or a variable set to one) is an argument vector, anything else is the command itself. */
function programOf(context: RuleContext, command: Node): (Node | undefined)[] {
  const value = command.type === 'identifier' ? assignedValue(context, command) : command;
  if (!value) return [command];
  let parts: (Node | undefined)[] | undefined;
  if (/^(list|tuple|array|array_creation_expression)$/.test(value.type)) parts = shellOrProgram(elements(value));
  else if (/^(Arrays\.asList|List\.of)\(/.test(value.text)) parts = shellOrProgram(value.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? []);
  if (!parts) return [command];
  // A vector built earlier is reported where it is run.
  return value === command ? parts : parts.some((p) => p && context.taint().sourceOf(p)) ? [command] : [];
}

/** In an argument vector, the script of `sh -c <script>`, or else the program. */
function shellOrProgram(vector: readonly (Node | undefined)[]): (Node | undefined)[] {
  const literal = (n: Node | undefined) => (n && /string/.test(n.type) ? stringValue(n).value : undefined);
  const program = literal(vector[0]);
  if (program && shells.test(program) && shellFlags.test(literal(vector[1]) ?? '')) return vector.slice(2);
  return [vector[0]];
}

function elements(vector: Node): Node[] {
  const initializer = vector.type === 'array_creation_expression' ? vector.childForFieldName('value') : vector;
  return initializer?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
}
