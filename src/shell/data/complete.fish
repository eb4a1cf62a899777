# Tab completion: cenv says what may come next (commands, flags, environments, package names
# from its caches); file names after the options that take a path.
function __cenv_wants_path
    set -l tokens (commandline -opc)
    contains -- "$tokens[-1]" -p --prefix -r --root-prefix --rc-file -c --channel -f --file
end
complete -c cenv -f -n 'not __cenv_wants_path' -a '(__CENV_EXE__ shell complete -- (commandline -opc) (commandline -ct) 2>/dev/null)'
complete -c cenv -F -n __cenv_wants_path
