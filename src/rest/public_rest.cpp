// PublicRest: the market-data endpoints of SPEC §3.1 over the exchange's transport. Each method
// builds its query, names its endpoint and parses the answer.

#include "mexc/rest/public_rest.hpp"

#include "rest/transport.hpp"
#include "sign/query.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

namespace {

namespace ep = endpoints;

/// Adapts a JsonReader member to the parse callback of Transport::parsed.
template <class R>
auto with(R (wire::JsonReader::*read)(std::string_view)) {
    return [read](wire::JsonReader& j, std::string_view body) { return (j.*read)(body); };
}

void append_if(std::string& q, std::string_view name, const std::string& value) {
    if (!value.empty()) append_param(q, name, value);
}

/// Times and limits of 0 (or less) leave MEXC's default.
void append_if(std::string& q, std::string_view name, std::int64_t value) {
    if (value > 0) append_param(q, name, std::to_string(value));
}

}  // namespace

PublicRest::PublicRest(asio::any_io_executor ex, const Config& config,
                       std::shared_ptr<RateLimiter> limiter)
    : transport_(std::make_shared<Transport>(std::move(ex), config, std::move(limiter))) {}

PublicRest::PublicRest(std::shared_ptr<Transport> transport) : transport_(std::move(transport)) {}

PublicRest::~PublicRest() = default;

void PublicRest::close() {
    transport_->close();
}

asio::awaitable<Result<void>> PublicRest::ping() {
    auto res = co_await transport_->call(ep::ping, {});
    if (!res) co_return res.error();
    transport_->recycle(std::move(res->body));
    co_return Result<void>{};
}

asio::awaitable<Result<std::int64_t>> PublicRest::time() {
    co_return co_await transport_->server_time();
}

asio::awaitable<Result<ExchangeInfo>> PublicRest::exchange_info(std::vector<std::string> symbols) {
    std::string q;
    if (symbols.size() == 1) {
        append_param(q, "symbol", symbols.front());
    } else if (!symbols.empty()) {
        std::string joined;
        for (const auto& s : symbols) joined += (joined.empty() ? "" : ",") + s;
        append_param(q, "symbols", joined);
    }
    co_return co_await transport_->parsed<ExchangeInfo>(ep::exchange_info, std::move(q),
                                                        with(&wire::JsonReader::exchange_info));
}

asio::awaitable<Result<DepthSnapshot>> PublicRest::depth(std::string symbol, int limit,
                                                         SymbolScales scales) {
    std::string q = transport_->buffer();
    append_param(q, "symbol", symbol);
    append_param(q, "limit", std::to_string(limit));
    co_return co_await transport_->parsed<DepthSnapshot>(
        ep::depth, std::move(q), [scales](wire::JsonReader& j, std::string_view b) {
            DepthSnapshot snapshot;
            if (auto parsed = j.depth_snapshot(b, scales, snapshot); !parsed)
                return Result<DepthSnapshot>(parsed.error());
            return Result<DepthSnapshot>(std::move(snapshot));
        });
}

asio::awaitable<Result<std::vector<PublicTrade>>> PublicRest::trades(std::string symbol,
                                                                     int limit) {
    std::string q;
    append_if(q, "symbol", symbol);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<PublicTrade>>(
        ep::trades, std::move(q), with(&wire::JsonReader::public_trades));
}

asio::awaitable<Result<std::vector<PublicTrade>>> PublicRest::historical_trades(std::string symbol,
                                                                                int limit) {
    std::string q;
    append_if(q, "symbol", symbol);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<PublicTrade>>(
        ep::historical_trades, std::move(q), with(&wire::JsonReader::public_trades));
}

asio::awaitable<Result<std::vector<AggTrade>>> PublicRest::agg_trades(std::string symbol,
                                                                      std::int64_t start_ms,
                                                                      std::int64_t end_ms,
                                                                      int limit) {
    // MEXC refuses one time without the other (SPEC §3.1): say so without spending weight.
    if (start_ms < 0 || end_ms < 0 || (start_ms == 0) != (end_ms == 0))
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string q;
    append_if(q, "symbol", symbol);
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<AggTrade>>(
        ep::agg_trades, std::move(q), with(&wire::JsonReader::agg_trades));
}

asio::awaitable<Result<std::vector<KlineBar>>> PublicRest::klines(std::string symbol,
                                                                  std::string interval,
                                                                  std::int64_t start_ms,
                                                                  std::int64_t end_ms, int limit) {
    std::string q;
    append_if(q, "symbol", symbol);
    append_param(q, "interval", interval);
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<KlineBar>>(ep::klines, std::move(q),
                                                                 with(&wire::JsonReader::klines));
}

asio::awaitable<Result<AveragePrice>> PublicRest::avg_price(std::string symbol) {
    std::string q;
    append_if(q, "symbol", symbol);
    co_return co_await transport_->parsed<AveragePrice>(ep::avg_price, std::move(q),
                                                        with(&wire::JsonReader::average_price));
}

asio::awaitable<Result<std::vector<Ticker24h>>> PublicRest::ticker_24hr(std::string symbol) {
    std::string q;
    append_if(q, "symbol", symbol);
    co_return co_await transport_->parsed<std::vector<Ticker24h>>(
        ep::ticker_24hr, std::move(q), with(&wire::JsonReader::tickers_24h));
}

asio::awaitable<Result<std::vector<TickerPrice>>> PublicRest::ticker_price(std::string symbol) {
    std::string q;
    append_if(q, "symbol", symbol);
    co_return co_await transport_->parsed<std::vector<TickerPrice>>(
        ep::ticker_price, std::move(q), with(&wire::JsonReader::ticker_prices));
}

asio::awaitable<Result<std::vector<BookTickerInfo>>> PublicRest::book_ticker(std::string symbol) {
    std::string q;
    append_if(q, "symbol", symbol);
    co_return co_await transport_->parsed<std::vector<BookTickerInfo>>(
        ep::book_ticker, std::move(q), with(&wire::JsonReader::book_tickers));
}

asio::awaitable<Result<std::vector<std::string>>> PublicRest::default_symbols() {
    co_return co_await transport_->parsed<std::vector<std::string>>(
        ep::default_symbols, {}, with(&wire::JsonReader::symbol_list));
}

asio::awaitable<Result<std::vector<OfflineSymbol>>> PublicRest::offline_symbols() {
    co_return co_await transport_->parsed<std::vector<OfflineSymbol>>(
        ep::offline_symbols, {}, with(&wire::JsonReader::offline_symbols));
}

asio::awaitable<Result<std::vector<EtfInfo>>> PublicRest::etf_info(std::string symbol) {
    std::string q;
    append_if(q, "symbol", symbol);
    co_return co_await transport_->parsed<std::vector<EtfInfo>>(ep::etf_info, std::move(q),
                                                                with(&wire::JsonReader::etf_infos));
}

}  // namespace mexc::rest
