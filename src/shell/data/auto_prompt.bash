case ";${PROMPT_COMMAND-};" in
    *";__cenv_auto;"*) ;;
    *) PROMPT_COMMAND="__cenv_auto${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
