# Tab completion: cenv says what may come next (commands, flags, environments, package names
# from its caches); file names when it has nothing to say.
_cenv_complete() {
    local IFS=$'\n' __cenv_word
    local -a __cenv_words
    __cenv_words=($(__CENV_EXE__ shell complete -- "${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null))
    COMPREPLY=()
    for __cenv_word in "${__cenv_words[@]}"; do
        COMPREPLY+=("$(printf '%q' "$__cenv_word")")
    done
}
complete -o default -F _cenv_complete cenv
