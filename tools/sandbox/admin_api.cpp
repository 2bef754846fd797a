#include "admin_api.hpp"

#include "fault_proxy.hpp"
#include "faults.hpp"
#include "sandbox.hpp"
#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace mexc::sandbox {
namespace {

constexpr std::string_view prefix = "/sandbox/admin";

RestReply ok(std::string body = R"({"ok":true})") {
    return {200, std::move(body), {}};
}

RestReply bad(std::string_view why) {
    std::string msg;
    for (char c : why) msg += (c == '"' || c == '\\') ? '\'' : c;
    return {400, fmt::format(R"({{"ok":false,"error":"{}"}})", msg), {}};
}

std::optional<std::int64_t> integer(const Params& p, std::string_view name) {
    auto it = p.find(name);
    if (it == p.end() || it->second.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto& s = it->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string text(const Params& p, std::string_view name, std::string fallback = {}) {
    auto it = p.find(name);
    return it == p.end() ? fallback : it->second;
}

std::optional<bool> flag(const Params& p, std::string_view name) {
    auto it = p.find(name);
    if (it == p.end()) return std::nullopt;
    return it->second.empty() || it->second == "1" || it->second == "true" || it->second == "on";
}

// "Name:value|Name2:value2"
HttpHeaders headers_of(const std::string& list) {
    HttpHeaders out;
    std::string_view rest = list;
    while (!rest.empty()) {
        const auto bar = rest.find('|');
        const auto one = rest.substr(0, bar);
        if (const auto colon = one.find(':'); colon != std::string_view::npos) {
            auto value = one.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            out.emplace_back(std::string(one.substr(0, colon)), std::string(value));
        }
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    return out;
}

RestReply install_rest_fault(Sandbox& sandbox, const Params& p) {
    Faults& faults = sandbox.faults();
    const std::string action = text(p, "action");
    const std::string match = text(p, "match");
    const auto status = integer(p, "status");
    RestFault* rule = nullptr;
    if (action == "respond_after_apply" || action == "respond_instead") {
        if (!status) return bad("status is required");
        rule = action == "respond_instead"
                   ? &faults.respond_instead(match, static_cast<int>(*status), text(p, "body"),
                                             headers_of(text(p, "headers")))
                   : &faults.respond_after_apply(match, static_cast<int>(*status), text(p, "body"),
                                                 headers_of(text(p, "headers")));
    } else if (action == "delay") {
        rule = &faults.delay(match, std::chrono::milliseconds(integer(p, "delay_ms").value_or(0)));
    } else if (action == "timeout_after_apply") {
        rule = &faults.timeout_after_apply(match);
    } else if (action == "reset_after_apply") {
        rule = &faults.reset_after_apply(match);
    } else if (action == "truncate_after_apply") {
        const auto bytes = integer(p, "bytes");
        if (!bytes || *bytes < 0) return bad("bytes is required");
        rule = &faults.truncate_after_apply(match, static_cast<std::size_t>(*bytes));
    } else if (action == "wrong_content_length") {
        rule = &faults.wrong_content_length(match, integer(p, "delta").value_or(16));
    } else {
        return bad("unknown action");
    }
    if (auto times = integer(p, "times"); times && *times > 0)
        rule->times(static_cast<std::size_t>(*times));
    if (auto d = integer(p, "delay_ms"); d && action != "delay")
        rule->after(std::chrono::milliseconds(*d));
    return ok(fmt::format(R"({{"ok":true,"rules":{}}})", faults.rest_fault_count()));
}

RestReply install_push_fault(Sandbox& sandbox, const Params& p) {
    Faults& faults = sandbox.faults();
    const std::string action = text(p, "action");
    const std::string topic = text(p, "topic");
    const auto count =
        static_cast<std::size_t>(std::max<std::int64_t>(integer(p, "count").value_or(1), 0));
    if (action == "drop")
        faults.drop_pushes(topic, count);
    else if (action == "duplicate")
        faults.duplicate_pushes(topic, count);
    else if (action == "reorder")
        faults.reorder_pushes(topic, count);
    else if (action == "delay")
        faults.delay_pushes(std::chrono::milliseconds(integer(p, "delay_ms").value_or(0)));
    else if (action == "clear")
        faults.clear_push_faults();
    else
        return bad("unknown action");
    return ok();
}

RestReply drive_proxy(Sandbox& sandbox, const Params& p) {
    FaultProxy* proxy = sandbox.proxy();
    if (!proxy) return {404, R"({"ok":false,"error":"no fault proxy: start with --proxy"})", {}};
    if (auto latency = integer(p, "latency_ms"))
        proxy->set_latency(std::chrono::milliseconds(*latency),
                           std::chrono::milliseconds(integer(p, "jitter_ms").value_or(0)));
    if (auto bw = integer(p, "bandwidth"); bw && *bw >= 0)
        proxy->set_bandwidth(static_cast<std::size_t>(*bw));
    if (auto cut = integer(p, "cut_after"); cut && *cut >= 0)
        proxy->cut_after(static_cast<std::size_t>(*cut));
    if (auto on = flag(p, "blackhole")) proxy->set_blackhole(*on);
    if (auto on = flag(p, "refuse")) proxy->set_refuse(*on);
    if (flag(p, "reset").value_or(false)) proxy->reset_now();
    return ok(proxy->describe());
}

std::string state_json(Sandbox& sandbox) {
    const SandboxStats& s = sandbox.stats();
    return fmt::format(
        R"({{"http_requests":{},"depth_requests":{},"ws_connections":{},"ws_client_messages":{},"frames_pushed":{},)"
        R"("ws_topics_rejected":{},"ws_closed_no_subscription":{},"ws_closed_idle":{},"ws_closed_lifetime":{},)"
        R"("ws_closed_rate_limit":{},"faults":{},"proxy":{}}})",
        s.http_requests, s.depth_requests, s.ws_connections, s.ws_client_messages, s.frames_pushed,
        s.ws_topics_rejected, s.ws_closed_no_subscription, s.ws_closed_idle, s.ws_closed_lifetime,
        s.ws_closed_rate_limit, sandbox.faults().describe(),
        sandbox.proxy() ? sandbox.proxy()->describe() : std::string("null"));
}

}  // namespace

bool is_admin_target(std::string_view target) noexcept {
    return target.starts_with(prefix) &&
           (target.size() == prefix.size() || target[prefix.size()] == '/' ||
            target[prefix.size()] == '?');
}

RestReply handle_admin(Sandbox& sandbox, const RestRequest& request) {
    std::string_view target = request.target;
    const auto q = target.find('?');
    const std::string_view path =
        target.substr(prefix.size(), q == std::string_view::npos ? q : q - prefix.size());
    Params params =
        parse_query(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
    for (auto& [k, v] : parse_query(request.body)) params.emplace(k, v);  // the query wins

    if (path == "/state") {
        if (request.method != "GET") return {405, R"({"ok":false,"error":"GET only"})", {}};
        return ok(state_json(sandbox));
    }
    if (request.method != "POST") return {405, R"({"ok":false,"error":"POST only"})", {}};
    if (path == "/fault") return install_rest_fault(sandbox, params);
    if (path == "/fault/clear") {
        sandbox.faults().clear_rest_faults();
        return ok();
    }
    if (path == "/push") return install_push_fault(sandbox, params);
    if (path == "/proxy") return drive_proxy(sandbox, params);
    if (path == "/skip_versions") {
        const auto count = integer(params, "count");
        if (!count || text(params, "symbol").empty()) return bad("symbol and count are required");
        sandbox.skip_versions(text(params, "symbol"), *count);
        return ok();
    }
    if (path == "/stale_snapshot") {
        const auto back = integer(params, "versions_back");
        if (!back || text(params, "symbol").empty())
            return bad("symbol and versions_back are required");
        sandbox.serve_stale_snapshot(text(params, "symbol"), *back);
        return ok();
    }
    if (path == "/drop_connections") {
        sandbox.drop_connections();
        return ok();
    }
    if (path == "/close_connections") {
        const auto code = integer(params, "code").value_or(1000);
        sandbox.close_connections(static_cast<int>(code), text(params, "reason"));
        return ok();
    }
    if (path == "/pause_market") {
        sandbox.pause_market(flag(params, "paused").value_or(true));
        return ok();
    }
    if (path == "/clock_offset") {
        const auto ms = integer(params, "ms");
        if (!ms) return bad("ms is required");
        sandbox.set_clock_offset(std::chrono::milliseconds(*ms));
        return ok();
    }
    return {404, R"({"ok":false,"error":"unknown admin endpoint"})", {}};
}

}  // namespace mexc::sandbox
