# Per-project environments (--auto-activate): entering a folder whose project file
# (.cenv, environment.yml) names an environment activates it, leaving the project
# deactivates it. Runs when $PWD changes, not on each prompt.
function __cenv_auto --on-variable PWD
    set -l dir $PWD
    set -l found
    while true
        if test -f "$dir/.cenv"; or test -f "$dir/environment.yml"; or test -f "$dir/environment.yaml"
            set found $dir
            test -n "$found"; or set found /
            break
        end
        test -n "$dir"; or break
        set dir (string replace -r '/[^/]*$' '' -- $dir)
    end
    set -q __cenv_auto_dir; or set -g __cenv_auto_dir
    test "$found" = "$__cenv_auto_dir"; and return
    if set -q __cenv_auto_prefix[1]; and set -q CONDA_PREFIX; and test "$CONDA_PREFIX" = "$__cenv_auto_prefix"
        cenv deactivate
    end
    set -g __cenv_auto_dir $found
    set -g __cenv_auto_prefix
    if test -n "$found"
        set -l level $CONDA_SHLVL
        if cenv activate --auto; and test "$CONDA_SHLVL" != "$level"
            set -g __cenv_auto_prefix $CONDA_PREFIX
        end
    end
end
__cenv_auto
