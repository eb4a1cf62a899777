# Compiles .py files into the .pyc files named for them, for cenv (src/install/pyc_compile.cpp).
# Input on stdin: one "SOURCE<TAB>TARGET" line per file, absolute paths. Output on stdout:
# one "failed<TAB>SOURCE<TAB>REASON" line per file that did not compile. Runs in the
# environment's own interpreter, on several processes when there are many files.
import os
import py_compile
import sys


def compile_one(pair):
    source, target = pair
    try:
        py_compile.compile(source, cfile=target, doraise=True)
        return None
    except Exception as e:  # a syntax error in one file must not stop the others
        return "failed\t%s\t%s" % (source, str(e).replace("\n", " "))


def main():
    pairs = [tuple(line.rstrip("\n").split("\t", 1)) for line in sys.stdin if "\t" in line]
    workers = min(os.cpu_count() or 1, max(1, len(pairs) // 64))
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the workers need compile_one, and a -c script has no file to import it from.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(compile_one, pairs, chunksize=32))
    else:
        results = [compile_one(pair) for pair in pairs]
    for line in results:
        if line:
            print(line)


if __name__ == "__main__":
    main()
