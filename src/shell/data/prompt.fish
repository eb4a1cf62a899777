# The prompt shows the active environment (changeps1): fish_prompt is wrapped once.
function __cenv_return_status
    return $argv[1]
end
if functions -q fish_prompt; and not functions -q __cenv_fish_prompt
    functions -c fish_prompt __cenv_fish_prompt
    function fish_prompt
        set -l __cenv_status $status
        set -q CONDA_PROMPT_MODIFIER; and echo -n -s $CONDA_PROMPT_MODIFIER
        __cenv_return_status $__cenv_status
        __cenv_fish_prompt
    end
end
