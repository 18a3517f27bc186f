# bash completion for homeward, the coordinators' command line: its commands, and each
# command's options (asked of homeward itself, `homeward __complete [command]`, so they follow
# its command table); file names after the options that take a file.
# Installed to /usr/share/bash-completion/completions/homeward; to try it from a checkout:
#   source deploy/completion/homeward.bash
# shellcheck shell=bash

_homeward() {
  local cur=${COMP_WORDS[COMP_CWORD]} command="" i word
  COMPREPLY=()
  # The command: the first word after "homeward" that is not an option.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word != -* && ${COMP_WORDS[i - 1]} != "=" && $word != "=" ]]; then
      command=$word
      break
    fi
  done
  # "--token_file=<TAB>": bash splits at "=" (COMP_WORDBREAKS), so the option is two words back.
  local option=""
  if [[ $cur == "=" ]]; then
    option=${COMP_WORDS[COMP_CWORD - 1]}
    cur=""
  elif [[ ${COMP_WORDS[COMP_CWORD - 1]} == "=" ]]; then
    option=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  if [[ -n $option ]]; then
    case $option in
      --tls_dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
      --token_file | --cursor_file) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    esac
    return 0
  fi
  local words
  if [[ -z $command || $command == help ]]; then
    if [[ $cur == -* ]]; then
      words="--help --version"
    else
      words=$("${COMP_WORDS[0]}" __complete 2>/dev/null)
    fi
  elif [[ $cur == -* ]]; then
    words=$("${COMP_WORDS[0]}" __complete "$command" 2>/dev/null)
  else
    return 0  # an argument: a child, an alert id, ...
  fi
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  # An option that takes a value ends in "=": no space after it.
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then compopt -o nospace; fi
  return 0
}
complete -F _homeward homeward
