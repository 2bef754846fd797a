#include "mexc/rest/public_rest.hpp"

#include "net/http_client.hpp"
#include "net/tls.hpp"
#include "rest/admission.hpp"
#include "rest/http_errors.hpp"
#include "rest/read_retry.hpp"
#include "sign/query.hpp"
#include "wire/json.hpp"

#include <fmt/format.h>

namespace mexc::rest {
namespace asio = boost::asio;

struct PublicRest::Impl {
    std::unique_ptr<net::HttpClient> http;
    Error setup_error;
    bool ok = false;
    wire::JsonReader json;
    std::shared_ptr<RateLimiter> limiter;

    ReadRetry retry;

    asio::awaitable<Result<net::HttpResponse>> get(std::string target) {
        if (!ok) co_return setup_error;
        const auto path = std::string_view(target).substr(0, target.find('?'));
        for (int attempt = 0;; ++attempt) {
            Admission admission(*limiter, RateScope::ip, net::HttpMethod::get, path, false);
            net::HttpRequest req;
            req.gate = &admission;
            req.target = http->buffers().take();
            req.target.assign(target);
            req.retry_stale = true;  // unsigned and idempotent
            auto res = co_await http->request(std::move(req));
            if (res) note_answer(*limiter, RateScope::ip, *res);
            if (res && res->status == 200) co_return res;
            const Error e = res ? classify_http_error(*res, json, false) : res.error();
            const auto wait = retry.after(e, attempt);
            if (!wait) co_return e;
            co_await ReadRetry::pause(*wait);
        }
    }

    template <class T, class Parse>
    asio::awaitable<Result<T>> fetch(std::string target, Parse parse) {
        auto res = co_await get(std::move(target));
        if (!res) co_return res.error();
        co_return parse(json, res->body);
    }
};

namespace {

std::string with_symbol(std::string path, const std::string& symbol) {
    if (symbol.empty()) return path;
    path += "?symbol=";
    percent_encode(path, symbol);
    return path;
}

}  // namespace

PublicRest::PublicRest(asio::any_io_executor ex, const Config& config,
                       std::shared_ptr<RateLimiter> limiter)
    : impl_(std::make_unique<Impl>()) {
    impl_->limiter =
        limiter ? std::move(limiter) : std::make_shared<RateLimiter>(config.rate_limits);
    // S03: an insecure TLS switch is refused for non-loopback hosts here too, not only in the
    // facade.
    if (auto valid = validate(config); !valid) {
        impl_->setup_error = valid.error();
        return;
    }
    auto url = net::parse_url(config.rest_url);
    if (!url) {
        impl_->setup_error = url.error();
        return;
    }
    auto tls = net::make_client_tls_context(config.tls);
    if (!tls) {
        impl_->setup_error = tls.error();
        return;
    }
    net::HttpOptions options;
    options.timeouts = config.timeouts;
    options.max_body = config.http_max_body;
    impl_->http = std::make_unique<net::HttpClient>(std::move(ex), *url, *tls, options);
    impl_->ok = true;
}

PublicRest::~PublicRest() = default;

void PublicRest::close() {
    if (impl_->http) impl_->http->close();
}

asio::awaitable<Result<void>> PublicRest::ping() {
    auto res = co_await impl_->get("/api/v3/ping");
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<std::int64_t>> PublicRest::time() {
    auto res = co_await impl_->get("/api/v3/time");
    if (!res) co_return res.error();
    co_return impl_->json.server_time(res->body);
}

asio::awaitable<Result<ExchangeInfo>> PublicRest::exchange_info(std::vector<std::string> symbols) {
    std::string target = "/api/v3/exchangeInfo";
    if (symbols.size() == 1) {
        target += "?symbol=";
        percent_encode(target, symbols.front());
    } else if (!symbols.empty()) {
        std::string joined;
        for (const auto& s : symbols) joined += (joined.empty() ? "" : ",") + s;
        target += "?symbols=";
        percent_encode(target, joined);
    }
    auto res = co_await impl_->get(std::move(target));
    if (!res) co_return res.error();
    co_return impl_->json.exchange_info(res->body);
}

asio::awaitable<Result<DepthSnapshot>> PublicRest::depth(std::string symbol, int limit,
                                                         SymbolScales scales) {
    std::string target = "/api/v3/depth?symbol=";
    percent_encode(target, symbol);
    target += fmt::format("&limit={}", limit);
    auto res = co_await impl_->get(std::move(target));
    if (!res) co_return res.error();
    DepthSnapshot snapshot;
    if (auto parsed = impl_->json.depth_snapshot(res->body, scales, snapshot); !parsed)
        co_return parsed.error();
    co_return snapshot;
}

}  // namespace mexc::rest

namespace mexc::rest {

asio::awaitable<Result<std::vector<PublicTrade>>> PublicRest::trades(std::string symbol,
                                                                     int limit) {
    std::string target = with_symbol("/api/v3/trades", symbol);
    if (limit > 0) target += fmt::format("&limit={}", limit);
    co_return co_await impl_->fetch<std::vector<PublicTrade>>(
        std::move(target),
        [](wire::JsonReader& j, std::string_view b) { return j.public_trades(b); });
}

asio::awaitable<Result<std::vector<PublicTrade>>> PublicRest::historical_trades(std::string symbol,
                                                                                int limit) {
    std::string target = with_symbol("/api/v3/historicalTrades", symbol);
    if (limit > 0) target += fmt::format("&limit={}", limit);
    co_return co_await impl_->fetch<std::vector<PublicTrade>>(
        std::move(target),
        [](wire::JsonReader& j, std::string_view b) { return j.public_trades(b); });
}

asio::awaitable<Result<std::vector<AggTrade>>> PublicRest::agg_trades(std::string symbol,
                                                                      std::int64_t start_ms,
                                                                      std::int64_t end_ms,
                                                                      int limit) {
    // MEXC refuses one time without the other (SPEC §3.1): say so without spending weight.
    if (start_ms < 0 || end_ms < 0 || (start_ms == 0) != (end_ms == 0))
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string target = with_symbol("/api/v3/aggTrades", symbol);
    if (start_ms > 0) target += fmt::format("&startTime={}&endTime={}", start_ms, end_ms);
    if (limit > 0) target += fmt::format("&limit={}", limit);
    co_return co_await impl_->fetch<std::vector<AggTrade>>(
        std::move(target), [](wire::JsonReader& j, std::string_view b) { return j.agg_trades(b); });
}

asio::awaitable<Result<std::vector<KlineBar>>> PublicRest::klines(std::string symbol,
                                                                  std::string interval,
                                                                  std::int64_t start_ms,
                                                                  std::int64_t end_ms, int limit) {
    std::string target = with_symbol("/api/v3/klines", symbol);
    target += "&interval=";
    percent_encode(target, interval);
    if (start_ms > 0) target += fmt::format("&startTime={}", start_ms);
    if (end_ms > 0) target += fmt::format("&endTime={}", end_ms);
    if (limit > 0) target += fmt::format("&limit={}", limit);
    co_return co_await impl_->fetch<std::vector<KlineBar>>(
        std::move(target), [](wire::JsonReader& j, std::string_view b) { return j.klines(b); });
}

asio::awaitable<Result<AveragePrice>> PublicRest::avg_price(std::string symbol) {
    co_return co_await impl_->fetch<AveragePrice>(
        with_symbol("/api/v3/avgPrice", symbol),
        [](wire::JsonReader& j, std::string_view b) { return j.average_price(b); });
}

asio::awaitable<Result<std::vector<Ticker24h>>> PublicRest::ticker_24hr(std::string symbol) {
    co_return co_await impl_->fetch<std::vector<Ticker24h>>(
        with_symbol("/api/v3/ticker/24hr", symbol),
        [](wire::JsonReader& j, std::string_view b) { return j.tickers_24h(b); });
}

asio::awaitable<Result<std::vector<TickerPrice>>> PublicRest::ticker_price(std::string symbol) {
    co_return co_await impl_->fetch<std::vector<TickerPrice>>(
        with_symbol("/api/v3/ticker/price", symbol),
        [](wire::JsonReader& j, std::string_view b) { return j.ticker_prices(b); });
}

asio::awaitable<Result<std::vector<BookTickerInfo>>> PublicRest::book_ticker(std::string symbol) {
    co_return co_await impl_->fetch<std::vector<BookTickerInfo>>(
        with_symbol("/api/v3/ticker/bookTicker", symbol),
        [](wire::JsonReader& j, std::string_view b) { return j.book_tickers(b); });
}

asio::awaitable<Result<std::vector<std::string>>> PublicRest::default_symbols() {
    co_return co_await impl_->fetch<std::vector<std::string>>(
        "/api/v3/defaultSymbols",
        [](wire::JsonReader& j, std::string_view b) { return j.symbol_list(b); });
}

asio::awaitable<Result<std::vector<OfflineSymbol>>> PublicRest::offline_symbols() {
    co_return co_await impl_->fetch<std::vector<OfflineSymbol>>(
        "/api/v3/symbol/offline",
        [](wire::JsonReader& j, std::string_view b) { return j.offline_symbols(b); });
}

asio::awaitable<Result<std::vector<EtfInfo>>> PublicRest::etf_info(std::string symbol) {
    co_return co_await impl_->fetch<std::vector<EtfInfo>>(
        with_symbol("/api/v3/etf/info", symbol),
        [](wire::JsonReader& j, std::string_view b) { return j.etf_infos(b); });
}

}  // namespace mexc::rest
