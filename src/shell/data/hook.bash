# cenv shell hook (bash, zsh): `cenv activate` and `cenv deactivate` change this shell;
# every other command runs the cenv binary. Printed by `cenv shell hook`.
cenv() {
    case "${1-}" in
        activate | deactivate)
            local __cenv_script
            __cenv_script="$(_CENV_PS1="${PS1-}" _CENV_PS1_SET="${PS1+1}" __CENV_ACTIVATE__ "$1" -s __CENV_SHELL__ "${@:2}")" || return
            eval "$__cenv_script"
            ;;
        *)
            __CENV_EXE__ "$@"
            ;;
    esac
}
