#pragma once
// Public topic names (SPEC §7.4). Case-sensitive; symbols upper-case. The wrapper's `channel`
// field of every push equals the subscribed topic exactly, so a topic is also the routing key.

#include <string>
#include <string_view>

namespace mexc::ws {

/// `spot@public.aggre.depth.v3.api.pb@<interval>@<symbol>`; interval "10ms" or "100ms".
inline std::string aggre_depth_topic(std::string_view interval, std::string_view symbol) {
    std::string topic = "spot@public.aggre.depth.v3.api.pb@";
    topic.append(interval).append(1, '@').append(symbol);
    return topic;
}

}  // namespace mexc::ws
