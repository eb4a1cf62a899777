#include "cli/app.hpp"

int main(int argc, char** argv) {
    return cenv::cli::run(argc, argv);
}
