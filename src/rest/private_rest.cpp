// PrivateRest: construction and the server clock. The endpoints are in one file per domain
// (private_trading.cpp, private_account.cpp, private_user_stream.cpp, private_sub_accounts.cpp,
// private_wallet.cpp), all over the transport.

#include "mexc/rest/private_rest.hpp"

#include "rest/transport.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

PrivateRest::PrivateRest(asio::any_io_executor ex, const Config& config,
                         std::shared_ptr<RateLimiter> limiter)
    : transport_(std::make_shared<Transport>(std::move(ex), config, std::move(limiter))) {}

PrivateRest::PrivateRest(std::shared_ptr<Transport> transport) : transport_(std::move(transport)) {}

PrivateRest::~PrivateRest() = default;

void PrivateRest::set_fixed_clock(std::function<std::int64_t()> now_ms) {
    transport_->set_fixed_clock(std::move(now_ms));
}

void PrivateRest::close() {
    transport_->close();
}

asio::awaitable<Result<void>> PrivateRest::sync_clock(int samples) {
    co_return co_await transport_->sync_clock(samples);
}

std::chrono::milliseconds PrivateRest::clock_offset() const noexcept {
    return transport_->clock_offset();
}

}  // namespace mexc::rest
