// What a script started by a test prints (npm run dev, npm run cluster), gathered, and a wait for
// the line that says it is ready: the whole output is in the error when it never comes.
import type { ChildProcess } from 'node:child_process';

export interface ScriptOutput {
  /** Everything printed so far, stdout and stderr together. */
  text(): string;
  /** Resolves once `line` has been printed; fails after `seconds`, or when the script exits first. */
  waitFor(line: string, seconds: number): Promise<void>;
}

export function gatherOutput(script: ChildProcess, name: string): ScriptOutput {
  let output = '';
  script.stdout!.on('data', (chunk) => (output += chunk));
  script.stderr!.on('data', (chunk) => (output += chunk));
  const waitFor = (line: string, seconds: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${line}" within ${seconds} s; output:\n${output}`)), seconds * 1000);
      const check = () => {
        if (!output.includes(line)) return;
        clearTimeout(timer);
        resolve();
      };
      check();
      script.stdout!.on('data', check);
      script.stderr!.on('data', check);
      script.once('exit', (code) => reject(new Error(`${name} exited (${code}) before "${line}"; output:\n${output}`)));
    });
  return { text: () => output, waitFor };
}
