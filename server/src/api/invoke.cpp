// The handler boundary as a coroutine. Kept out of essaim_core (the library of pure modules,
// also built for the sanitizers and the fuzzers): clang 14's fuzzer instrumentation cannot
// compile coroutines ("Cannot represent a difference across sections").
#include "api/context.hpp"

#include <boost/asio/awaitable.hpp>

namespace essaim::api {

boost::asio::awaitable<http::Response> invoke(const http::Route& route, http::Request& req,
                                              const Context& ctx) {
    try {
        check_origin(ctx, req);
        if (route.async_handler) co_return co_await route.async_handler(req);
        co_return route.handler(req);
    } catch (const std::exception& e) {
        co_return failure_response(req, e);
    }
}

}  // namespace essaim::api
