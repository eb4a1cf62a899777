# Per-project environments (--auto-activate): entering a folder whose project file
# (.cenv, environment.yml) names an environment activates it, leaving the project
# deactivates it. The folder walk is shell code and runs only when $PWD changed.
__cenv_auto() {
    local __cenv_status=$?
    if [ "$PWD" != "${__cenv_auto_pwd-}" ]; then
        __cenv_auto_pwd=$PWD
        local __cenv_dir=$PWD __cenv_found=
        while :; do
            if [ -f "$__cenv_dir/.cenv" ] || [ -f "$__cenv_dir/environment.yml" ] || [ -f "$__cenv_dir/environment.yaml" ]; then
                __cenv_found=${__cenv_dir:-/}
                break
            fi
            [ -n "$__cenv_dir" ] || break
            __cenv_dir=${__cenv_dir%/*}
        done
        if [ "$__cenv_found" != "${__cenv_auto_dir-}" ]; then
            if [ -n "${__cenv_auto_prefix-}" ] && [ "${CONDA_PREFIX-}" = "$__cenv_auto_prefix" ]; then
                cenv deactivate
            fi
            __cenv_auto_dir=$__cenv_found
            __cenv_auto_prefix=
            if [ -n "$__cenv_found" ]; then
                local __cenv_level=${CONDA_SHLVL-}
                if cenv activate --auto && [ "${CONDA_SHLVL-}" != "$__cenv_level" ]; then
                    __cenv_auto_prefix=${CONDA_PREFIX-}
                fi
            fi
        fi
    fi
    return $__cenv_status
}
