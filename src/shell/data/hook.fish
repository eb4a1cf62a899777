# cenv shell hook (fish): `cenv activate` and `cenv deactivate` change this shell; every
# other command runs the cenv binary. Printed by `cenv shell hook`.
function cenv --description 'cenv: conda-compatible environments'
    if set -q argv[1]; and contains -- $argv[1] activate deactivate
        set -l __cenv_script (__CENV_EXE__ shell $argv[1] -s fish $argv[2..-1])
        or return
        string join \n -- $__cenv_script | source
    else
        __CENV_EXE__ $argv
    end
end
