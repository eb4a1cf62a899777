#include "install/interrupt.hpp"

#include <signal.h>

namespace cenv::install {

namespace {

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
struct sigaction g_old_int {};
struct sigaction g_old_term {};

extern "C" void on_signal(int sig) {
    g_signal.store(sig);
    g_requested.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_requested = false;
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &g_old_int);
    ::sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>& InterruptGuard::flag() noexcept {
    return g_requested;
}

int InterruptGuard::signal() noexcept {
    return g_signal.load();
}

}  // namespace cenv::install
