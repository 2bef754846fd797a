#include "mexc/config.hpp"

#include "net/url.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mexc {

Config Config::clone() const {
    Config c;
    c.rest_url = rest_url;
    c.ws_url = ws_url;
    if (credentials) c.credentials = credentials->clone();
    c.recv_window = recv_window;
    c.tls = tls;
    c.timeouts = timeouts;
    c.rest = rest;
    c.depth_interval = depth_interval;
    c.snapshot_limit = snapshot_limit;
    c.snapshot_concurrency = snapshot_concurrency;
    c.ws_topics_per_connection = ws_topics_per_connection;
    c.ws_messages_per_second = ws_messages_per_second;
    c.ws_connects_per_second = ws_connects_per_second;
    c.ws_rotate_after = ws_rotate_after;
    c.listen_key_keepalive = listen_key_keepalive;
    c.account_event_queue = account_event_queue;
    c.completed_orders = completed_orders;
    c.cancel_orders_on_close = cancel_orders_on_close;
    c.ping_interval = ping_interval;
    c.stale_after = stale_after;
    c.frozen_side_after = frozen_side_after;
    c.book_check_interval = book_check_interval;
    c.book_check_levels = book_check_levels;
    c.first_data_timeout = first_data_timeout;
    c.reconnect_min = reconnect_min;
    c.reconnect_max = reconnect_max;
    c.ws_max_message = ws_max_message;
    c.http_max_body = http_max_body;
    c.book = book;
    c.balance_ttl = balance_ttl;
    c.rules_ttl = rules_ttl;
    c.refuse_when_spot_trading_not_allowed = refuse_when_spot_trading_not_allowed;
    c.rate_limits = rate_limits;
    c.journal_path = journal_path;
    return c;
}

namespace {

Error invalid(std::string_view why) {
    return Error(Condition::rejected, Errc::config_invalid).with_venue_message(why);
}

}  // namespace

Result<void> validate(const Config& config) {
    // SPEC §1.5: values above 60000 are rejected by the venue (E03): refuse locally.
    if (config.recv_window.count() <= 0 || config.recv_window.count() > 60000)
        return invalid("recv_window must be in 1..60000 ms");
    if (config.depth_interval != "10ms" && config.depth_interval != "100ms")
        return invalid("depth_interval must be 10ms or 100ms");
    if (config.snapshot_limit < 1 || config.snapshot_limit > 5000)
        return invalid("snapshot_limit must be in 1..5000");
    if (config.snapshot_concurrency < 1 || config.snapshot_concurrency > 64)
        return invalid("snapshot_concurrency must be in 1..64");
    if (config.ws_topics_per_connection < 1 || config.ws_topics_per_connection > 30)
        return invalid("ws_topics_per_connection must be in 1..30");  // SPEC §6.2
    if (config.ws_messages_per_second < 1 || config.ws_messages_per_second > 100)
        return invalid("ws_messages_per_second must be in 1..100");  // SPEC §6.2
    if (config.ws_connects_per_second < 1 || config.ws_connects_per_second > 100)
        return invalid("ws_connects_per_second must be in 1..100");
    if (config.ws_rotate_after < std::chrono::seconds(1))
        return invalid("ws_rotate_after must be at least 1 s");
    // A key lives 60 min after its last keepalive (SPEC §9).
    if (config.listen_key_keepalive < std::chrono::seconds(1) ||
        config.listen_key_keepalive > std::chrono::minutes(59))
        return invalid("listen_key_keepalive must be in 1 s..59 min");
    if (config.account_event_queue < 16) return invalid("account_event_queue must be at least 16");
    if (config.completed_orders < 1) return invalid("completed_orders must be at least 1");
    if (config.frozen_side_after.count() < 0)
        return invalid("frozen_side_after must not be negative");
    if (config.book_check_interval.count() < 0)
        return invalid("book_check_interval must not be negative");
    if (config.book_check_levels < 1 || config.book_check_levels > 50)
        return invalid("book_check_levels must be in 1..50");
    for (const std::string* url : {&config.rest_url, &config.ws_url}) {
        auto parsed = net::parse_url(*url);
        if (!parsed) return invalid("malformed url");
        if (config.tls.insecure_skip_verify_loopback_only && parsed->tls &&
            !net::is_loopback_host(parsed->host))
            return Error(Condition::rejected, Errc::insecure_tls_refused);
    }
    for (const auto* f : {&config.rest.market_data, &config.rest.account, &config.rest.orders,
                          &config.rest.user_data_stream}) {
        if (f->timeout.count() < 0) return invalid("rest timeouts must not be negative");
        if (f->read_retries < 0 || f->read_retries > 10)
            return invalid("rest read_retries must be in 0..10");
    }
    if (config.credentials &&
        (config.credentials->api_key.empty() || config.credentials->secret_key.empty()))
        return invalid("credentials need both api_key and secret_key");
    if (!config.journal_path.empty()) {
        const auto& p = config.journal_path;
        if (p.back() == '/' || p.size() > 4000 ||
            p.find_first_of(std::string_view("\0\n\r", 3)) != std::string::npos)
            return invalid("journal_path must name a file (no trailing '/', NUL or line break)");
    }
    return {};
}

Result<Config> parse_config(std::string_view yaml) {
    Config c;
    try {
        const YAML::Node root = YAML::Load(std::string(yaml));
        if (!root.IsMap() && !root.IsNull()) return invalid("top level must be a mapping");
        auto ms = [](const YAML::Node& n) { return std::chrono::milliseconds(n.as<long long>()); };
        if (auto n = root["rest_url"]) c.rest_url = n.as<std::string>();
        if (auto n = root["ws_url"]) c.ws_url = n.as<std::string>();
        if (auto n = root["recv_window_ms"]) c.recv_window = ms(n);
        if (auto n = root["depth_interval"]) c.depth_interval = n.as<std::string>();
        if (auto n = root["snapshot_limit"]) c.snapshot_limit = n.as<int>();
        if (auto n = root["snapshot_concurrency"]) c.snapshot_concurrency = n.as<int>();
        if (auto n = root["ws_topics_per_connection"])
            c.ws_topics_per_connection = n.as<std::size_t>();
        if (auto n = root["ws_messages_per_second"]) c.ws_messages_per_second = n.as<std::size_t>();
        if (auto n = root["ws_connects_per_second"]) c.ws_connects_per_second = n.as<int>();
        if (auto n = root["ws_rotate_after_ms"]) c.ws_rotate_after = ms(n);
        if (auto n = root["ping_interval_ms"]) c.ping_interval = ms(n);
        if (auto n = root["stale_after_ms"]) c.stale_after = ms(n);
        if (auto n = root["frozen_side_after_ms"]) c.frozen_side_after = ms(n);
        if (auto n = root["book_check_interval_ms"]) c.book_check_interval = ms(n);
        if (auto n = root["book_check_levels"]) c.book_check_levels = n.as<std::size_t>();
        if (auto n = root["first_data_timeout_ms"]) c.first_data_timeout = ms(n);
        if (auto n = root["reconnect_min_ms"]) c.reconnect_min = ms(n);
        if (auto n = root["reconnect_max_ms"]) c.reconnect_max = ms(n);
        if (auto n = root["ws_max_message_bytes"]) c.ws_max_message = n.as<std::size_t>();
        if (auto n = root["http_max_body_bytes"]) c.http_max_body = n.as<std::size_t>();
        if (auto n = root["balance_ttl_ms"]) c.balance_ttl = ms(n);
        if (auto n = root["rules_ttl_ms"]) c.rules_ttl = ms(n);
        if (auto n = root["listen_key_keepalive_ms"]) c.listen_key_keepalive = ms(n);
        if (auto n = root["account_event_queue"]) c.account_event_queue = n.as<std::size_t>();
        if (auto n = root["completed_orders"]) c.completed_orders = n.as<std::size_t>();
        if (auto n = root["cancel_orders_on_close"]) c.cancel_orders_on_close = n.as<bool>();
        if (auto n = root["refuse_when_spot_trading_not_allowed"])
            c.refuse_when_spot_trading_not_allowed = n.as<bool>();
        if (auto n = root["journal_path"]) c.journal_path = n.as<std::string>();
        if (auto t = root["timeouts"]) {
            if (auto n = t["connect_ms"]) c.timeouts.connect = ms(n);
            if (auto n = t["request_ms"]) c.timeouts.request = ms(n);
            if (auto n = t["ws_handshake_ms"]) c.timeouts.ws_handshake = ms(n);
            if (auto n = t["ws_idle_ms"]) c.timeouts.ws_idle = ms(n);
            if (auto n = t["close_ms"]) c.timeouts.close = ms(n);
            if (auto n = t["subscribe_ms"]) c.timeouts.subscribe = ms(n);
        }
        if (auto r = root["rest"]) {
            auto family = [&](const char* name, RestFamilyOptions& f) {
                if (auto n = r[name]) {
                    if (auto v = n["timeout_ms"]) f.timeout = ms(v);
                    if (auto v = n["read_retries"]) f.read_retries = v.as<int>();
                }
            };
            family("market_data", c.rest.market_data);
            family("account", c.rest.account);
            family("orders", c.rest.orders);
            family("user_data_stream", c.rest.user_data_stream);
        }
        if (auto t = root["tls"]) {
            if (auto n = t["ca_file"]) c.tls.ca_file = n.as<std::string>();
            if (auto n = t["insecure_skip_verify_loopback_only"])
                c.tls.insecure_skip_verify_loopback_only = n.as<bool>();
        }
        if (auto r = root["rate_limits"]) {
            if (auto n = r["ip_weight"]) c.rate_limits.ip_weight = n.as<int>();
            if (auto n = r["uid_weight"]) c.rate_limits.uid_weight = n.as<int>();
            if (auto n = r["window_ms"]) c.rate_limits.window = ms(n);
            if (auto n = r["orders_per_second"]) c.rate_limits.orders_per_second = n.as<int>();
            if (auto w = r["weights"])
                for (const auto& entry : w)
                    c.rate_limits.weights[entry.first.as<std::string>()] = entry.second.as<int>();
        }
        if (auto b = root["book"]) {
            if (auto n = b["max_levels_per_side"]) c.book.max_levels_per_side = n.as<std::size_t>();
            if (auto n = b["max_buffered_frames"]) c.book.max_buffered_frames = n.as<std::size_t>();
        }
        if (auto cred = root["credentials"]) {
            auto key = cred["api_key"] ? cred["api_key"].as<std::string>() : std::string();
            auto secret = cred["secret_key"] ? cred["secret_key"].as<std::string>() : std::string();
            c.credentials.emplace(std::move(key), SecretString(std::move(secret)));
        }
    } catch (const YAML::Exception& e) {
        // yaml-cpp messages quote positions, not values, so no secret can leak through them.
        return invalid(e.msg);
    }
    return c;
}

void apply_environment(Config& config) {
    const char* key = std::getenv("MEXC_API_KEY");
    const char* secret = std::getenv("MEXC_SECRET_KEY");
    if (key && secret && *key && *secret) config.credentials.emplace(key, SecretString(secret));
}

Result<Config> load_config(const std::string& path) {
    std::ifstream in(path);
    if (!in) return invalid("cannot open config file");
    std::stringstream text;
    text << in.rdbuf();
    auto config = parse_config(text.str());
    if (!config) return config;
    apply_environment(*config);
    if (auto ok = validate(*config); !ok) return ok.error();
    return config;
}

}  // namespace mexc
