#pragma once
// The fixture of the market-data tests: an embedded sandbox and one exchange on it, configured by
// config_for and an optional tweak, closed (tasks joined) before the sandbox stops.

#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <optional>

namespace mexc::testing {

struct SandboxExchange {
    boost::asio::io_context ioc{1};
    sandbox::Sandbox sandbox;
    std::optional<MexcExchange> exchange;

    explicit SandboxExchange(sandbox::SandboxOptions options = {},
                             std::function<void(Config&)> tweak = {})
        : sandbox(ioc.get_executor(), std::move(options)) {
        REQUIRE(sandbox.start());
        auto c = config_for(sandbox);
        if (tweak) tweak(c);
        exchange.emplace(ioc.get_executor(), std::move(c));
    }
    ~SandboxExchange() {
        run(ioc, exchange->close());
        sandbox.stop();
    }
    SandboxExchange(const SandboxExchange&) = delete;
    SandboxExchange& operator=(const SandboxExchange&) = delete;
};

}  // namespace mexc::testing
