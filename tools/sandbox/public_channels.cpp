#include "public_channels.hpp"

#include "text.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace mexc::sandbox {

// Parses the topics the sandbox serves: aggre depth and aggre deals at 10ms/100ms (SPEC §7.4).
std::optional<Subscription> parse_topic(const std::string& topic, const Market& market, std::chrono::milliseconds tick) {
    static const std::pair<std::string_view, TopicKind> prefixes[] = {
        {"spot@public.aggre.depth.v3.api.pb@", TopicKind::depth},
        {"spot@public.aggre.deals.v3.api.pb@", TopicKind::deals},
    };
    for (const auto& [prefix, kind] : prefixes) {
        if (topic.rfind(prefix, 0) != 0) continue;
        const std::string_view rest = std::string_view(topic).substr(prefix.size());
        const auto at = rest.find('@');
        if (at == std::string_view::npos) return std::nullopt;
        const auto interval = rest.substr(0, at);
        const auto symbol = rest.substr(at + 1);
        if ((interval != "10ms" && interval != "100ms") || !market.find(symbol)) return std::nullopt;
        Subscription s;
        s.topic = topic;
        s.kind = kind;
        s.symbol = std::string(symbol);
        s.event_type = topic.substr(0, topic.size() - symbol.size() - 1);
        const auto period = std::chrono::milliseconds(interval == "10ms" ? 10 : 100);
        s.interval_ticks = std::max<int>(1, static_cast<int>(period / std::max(tick, std::chrono::milliseconds(1))));
        return s;
    }
    return std::nullopt;
}

std::string encode_depth(const Subscription& sub, const SymbolBook& book, std::int64_t from, std::int64_t to) {
    // Aggregate: the last change of a level within the window wins (quantities are absolute).
    std::map<std::pair<bool, std::int64_t>, std::int64_t> latest;
    for (const auto& c : book.changes(from, to)) latest[{c.ask, c.price}] = c.quantity;
    PushDataV3ApiWrapper wrapper;
    wrapper.set_channel(sub.topic);
    wrapper.set_symbol(sub.symbol);
    wrapper.set_sendtime(now_ms());
    auto* body = wrapper.mutable_publicaggredepths();
    const auto scales = book.scales();
    for (const auto& [key, qty] : latest) {
        auto* item = key.first ? body->add_asks() : body->add_bids();
        item->set_price(decimal(key.second, scales.price));
        item->set_quantity(decimal(qty, scales.quantity));
    }
    body->set_eventtype(sub.event_type);
    body->set_fromversion(std::to_string(from));
    body->set_toversion(std::to_string(to));
    return wrapper.SerializeAsString();
}

std::string encode_deals(const Subscription& sub, const SymbolBook& book, std::uint64_t after) {
    PushDataV3ApiWrapper wrapper;
    wrapper.set_channel(sub.topic);
    wrapper.set_symbol(sub.symbol);
    wrapper.set_sendtime(now_ms());
    auto* body = wrapper.mutable_publicaggredeals();
    const auto scales = book.scales();
    for (const auto& t : book.trades()) {
        if (t.id <= after) continue;
        auto* item = body->add_deals();
        item->set_price(decimal(t.price, scales.price));
        item->set_quantity(decimal(t.quantity, scales.quantity));
        item->set_tradetype(t.taker_side);
        item->set_time(t.time_ms);
        item->set_tradeid(fmt::format("{}X0", t.id));
    }
    body->set_eventtype(sub.event_type);
    return wrapper.SerializeAsString();
}

}  // namespace mexc::sandbox
