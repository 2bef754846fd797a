// PrivateRest: listen keys of the user data stream (SPEC §3.3). A listen key that is lost expires
// on its own, so every call here is retried like a read.

#include "rest/private_calls.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

asio::awaitable<Result<std::string>> PrivateRest::create_listen_key() {
    co_return co_await transport_->parsed<std::string>(
        ep::create_listen_key, {},
        [](wire::JsonReader& j, std::string_view b) { return j.listen_key(b); });
}

asio::awaitable<Result<void>> PrivateRest::keep_alive_listen_key(std::string listen_key) {
    std::string q;
    append_param(q, "listenKey", listen_key);
    auto res = co_await transport_->parsed<std::string>(
        ep::keep_alive_listen_key, q,
        [](wire::JsonReader& j, std::string_view b) { return j.listen_key(b); });
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<void>> PrivateRest::delete_listen_key(std::string listen_key) {
    std::string q;
    append_param(q, "listenKey", listen_key);
    auto res = co_await transport_->call(ep::delete_listen_key, q);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<std::vector<std::string>>> PrivateRest::listen_keys() {
    co_return co_await transport_->parsed<std::vector<std::string>>(
        ep::listen_keys, {}, with(&wire::JsonReader::listen_keys));
}

}  // namespace mexc::rest
