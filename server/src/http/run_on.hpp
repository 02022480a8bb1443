// Runs a coroutine on the I/O context and waits for its result (or exception). For code on the
// worker pool (handlers, services) that needs an asynchronous client; never call it from an
// I/O thread, which would wait for itself.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace essaim::http {

template <class T>
T run_on(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw) {
    return boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future).get();
}

// The same for a one-shot command (essaim health, doctor): a private I/O context, run on this
// thread until `aw` ends.
template <class T>
T run_alone(boost::asio::awaitable<T> aw) {
    boost::asio::io_context ioc;
    auto fut = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
    ioc.run();
    return fut.get();
}

}  // namespace essaim::http
