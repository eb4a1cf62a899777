# Tab completion: cenv says what may come next (commands, flags, environments, package names
# from its caches); file names when it has nothing to say.
_cenv() {
    local -a __cenv_words
    __cenv_words=("${(@f)$(__CENV_EXE__ shell complete -- "${(@)words[1,CURRENT]}" 2>/dev/null)}")
    if (( ${#__cenv_words} )) && [[ -n "${__cenv_words[1]}" ]]; then
        compadd -- "${__cenv_words[@]}"
    else
        _files
    fi
}
if (( $+functions[compdef] )); then
    compdef _cenv cenv
fi
