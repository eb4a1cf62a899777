# cenv shell hook (fish): `cenv activate` and `cenv deactivate` change this shell; every
# other command runs the cenv binary. Printed by `cenv shell hook`.
function cenv --description 'cenv: conda-compatible environments'
    if set -q argv[1]; and contains -- $argv[1] activate deactivate
        # A pipe, not a command substitution: cenv's warnings then go where the function's
        # stderr goes (a command substitution's stderr ignores the function's redirection).
        __CENV_ACTIVATE__ $argv[1] -s fish $argv[2..-1] | source
        return $pipestatus[1]
    else
        __CENV_EXE__ $argv
    end
end
