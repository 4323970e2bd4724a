// `evidence-pack completion bash|zsh`: a shell completion script generated from the commander program itself.

import type { Command } from 'commander';
import { EvidencePackError } from '../../errors.js';

export const SHELLS = ['bash', 'zsh'] as const;

/** Subcommands and their long options, read from the program so completion never drifts from the CLI. */
export function completionTable(program: Command): { name: string; options: string[] }[] {
  return program.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
    .map((c) => ({ name: c.name(), options: [...c.options.map((o) => o.long).filter((l): l is string => !!l), '--help'] }));
}

const word = (s: string) => {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new Error(`completion: unexpected command or option name ${s}`);
  return s;
};

export function bashCompletion(program: Command): string {
  const table = completionTable(program);
  const cases = table.map((c) => `    ${word(c.name)}) opts="${c.options.map(word).join(' ')}" ;;`).join('\n');
  const name = program.name();
  const fn = `_${name.replace(/-/g, '_')}_complete`;
  return `# bash completion for ${name}; install: ${name} completion bash > /etc/bash_completion.d/${name}
#   or add to ~/.bashrc: source <(${name} completion bash)
${fn}() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${table.map((c) => word(c.name)).join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F ${fn} ${name}
`;
}

export function zshCompletion(program: Command): string {
  const table = completionTable(program);
  const name = program.name();
  const cmds = program.commands.map((c) => `    '${word(c.name())}:${c.description().replace(/'/g, "'\\''").replace(/:/g, '\\:').slice(0, 80)}'`).join('\n');
  const cases = table.map((c) => `      ${word(c.name)}) _arguments '*:file:_files' ${c.options.map((o) => `'${word(o)}[]'`).join(' ')} ;;`).join('\n');
  return `#compdef ${name}
# zsh completion for ${name}; install: ${name} completion zsh > "\${fpath[1]}/_${name}"
_${name.replace(/-/g, '_')}() {
  local -a commands
  commands=(
${cmds}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "\${words[2]}" in
${cases}
  esac
}
compdef _${name.replace(/-/g, '_')} ${name}
`;
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('<shell>', SHELLS.join('|'))
    .addHelpText('after', `\nExamples:\n  $ source <(evidence-pack completion bash)\n  $ evidence-pack completion zsh > "\${fpath[1]}/_evidence-pack"`)
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new EvidencePackError('USAGE', `completion: expected ${SHELLS.join(' or ')}, got "${shell}"`, { hint: 'e.g. evidence-pack completion bash' });
      const root = program.parent ?? program;
      process.stdout.write(shell === 'bash' ? bashCompletion(root) : zshCompletion(root));
    });
}
