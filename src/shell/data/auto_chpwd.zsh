autoload -Uz add-zsh-hook
add-zsh-hook chpwd __cenv_auto
__cenv_auto
