// Account-management bodies: STP groups, sub-accounts, wallet (SPEC §3.2 extras, §3.4–§3.6).
// MEXC wraps these inconsistently, so they are read with simdjson's DOM (they are not hot
// paths): `records` finds the list of objects whatever the envelope, `Fields` reads one object
// and names the first missing or mistyped field (P16).

#include "wire/json.hpp"

#include "wire/json_support.hpp"

#include <fmt/format.h>

namespace mexc::wire {
namespace {

namespace dom = simdjson::dom;

/// Reads fields of one object; the first failure is kept and names its field.
class Fields {
public:
    explicit Fields(dom::object obj) : obj_(obj) {}

    Fields& text(std::string_view key, std::string& out, bool required = false) {
        dom::element e;
        if (!find(key, e, required)) return *this;
        if (e.is_null()) return *this;  // absent: a fallback key may still fill it
        if (e.is_string())
            out = std::string(e.get_string().value_unsafe());
        else if (e.is_int64())
            out = std::to_string(e.get_int64().value_unsafe());
        else if (e.is_uint64())
            out = std::to_string(e.get_uint64().value_unsafe());
        else if (e.is_bool())
            out = e.get_bool().value_unsafe() ? "true" : "false";
        else
            fail(Errc::unexpected_json_shape, key);
        return *this;
    }

    /// A decimal as a string, or as a JSON number (written back in its shortest exact form).
    template <class T>
    Fields& decimal(std::string_view key, T& out, bool required = false) {
        dom::element e;
        if (!find(key, e, required)) return *this;
        std::string text;
        if (e.is_null()) return *this;
        if (e.is_string())
            text = std::string(e.get_string().value_unsafe());
        else if (e.is_int64())
            text = std::to_string(e.get_int64().value_unsafe());
        else if (e.is_double())
            text = fmt::format("{}", e.get_double().value_unsafe());
        else
            return fail(Errc::unexpected_json_shape, key);
        if (text.empty()) return *this;
        if (text.find_first_of("eE") != std::string::npos)
            return fail(Errc::unexpected_json_shape, key);
        auto parsed =
            T::parse(text, std::min<std::uint8_t>(fractional_digits(text), max_decimal_scale));
        if (!parsed) return fail(Errc::unexpected_json_shape, key);
        out = *parsed;
        return *this;
    }

    /// An integer as a number or a numeric string.
    template <class Int>
    Fields& integer(std::string_view key, Int& out, bool required = false) {
        dom::element e;
        if (!find(key, e, required)) return *this;
        std::int64_t v = 0;
        if (e.is_null()) return *this;
        if (e.is_int64())
            v = e.get_int64().value_unsafe();
        else if (e.is_string()) {
            std::string_view s = e.get_string().value_unsafe();
            const bool negative = !s.empty() && s.front() == '-';
            auto r = parse_version(negative ? s.substr(1) : s);
            if (!r) return fail(Errc::unexpected_json_shape, key);
            v = negative ? -*r : *r;
        } else {
            return fail(Errc::unexpected_json_shape, key);
        }
        out = static_cast<Int>(v);
        return *this;
    }

    Fields& boolean(std::string_view key, bool& out, bool required = false) {
        dom::element e;
        if (!find(key, e, required)) return *this;
        if (e.is_bool())
            out = e.get_bool().value_unsafe();
        else if (e.is_string())
            out = e.get_string().value_unsafe() == "true";
        else if (!e.is_null())
            fail(Errc::unexpected_json_shape, key);
        return *this;
    }

    /// A comma-separated string or an array of strings.
    Fields& list(std::string_view key, std::vector<std::string>& out, bool required = false) {
        dom::element e;
        if (!find(key, e, required)) return *this;
        out.clear();
        if (e.is_null()) return *this;
        dom::array items;
        if (!e.get_array().get(items)) {
            for (dom::element item : items) {
                if (!item.is_string()) return fail(Errc::unexpected_json_shape, key);
                out.emplace_back(item.get_string().value_unsafe());
            }
            return *this;
        }
        if (!e.is_string()) return fail(Errc::unexpected_json_shape, key);
        std::string_view s = e.get_string().value_unsafe();
        while (!s.empty()) {
            const auto comma = s.find(',');
            if (comma != 0) out.emplace_back(s.substr(0, comma));
            s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
        }
        return *this;
    }

    template <class T>
    Result<T> done(T value) const {
        if (failed_) return error_;
        return value;
    }

private:
    bool find(std::string_view key, dom::element& e, bool required) {
        if (failed_) return false;
        if (obj_.at_key(key).get(e)) {
            if (required) fail(Errc::missing_field, key);
            return false;
        }
        return true;
    }
    Fields& fail(Errc code, std::string_view key) {
        if (!failed_) error_ = field_error(code, key);
        failed_ = true;
        return *this;
    }

    dom::object obj_;
    bool failed_ = false;
    Error error_;
};

/// The list of record objects in `root`, whatever MEXC wrapped it in: an array of objects; a
/// one-element array or object holding `list_key` (or "data"); or a single record object.
bool records(dom::element root, std::string_view list_key, std::vector<dom::object>& out) {
    if (root.is_array()) {
        dom::array arr = root.get_array().value_unsafe();
        if (arr.size() == 1) {
            dom::element only = arr.at(0).value_unsafe();
            dom::element inner;
            if (only.is_object() && !list_key.empty() && !only.at_key(list_key).get(inner) &&
                (inner.is_array() || inner.is_object()))
                return records(inner, list_key, out);
        }
        for (dom::element item : arr) {
            if (!item.is_object()) return false;
            out.push_back(item.get_object().value_unsafe());
        }
        return true;
    }
    if (!root.is_object()) return false;
    dom::element inner;
    if (!list_key.empty() && !root.at_key(list_key).get(inner) &&
        (inner.is_array() || inner.is_object()))
        return records(inner, {}, out);
    if (!root.at_key("data").get(inner) && (inner.is_array() || inner.is_object()))
        return records(inner, list_key, out);
    out.push_back(root.get_object().value_unsafe());
    return true;
}

using Root = simdjson::simdjson_result<dom::element>;

template <class T, class Read>
Result<std::vector<T>> read_records(Root parsed, std::string_view list_key, Read read) {
    dom::element root;
    if (parsed.get(root)) return bad(Errc::malformed_json);
    std::vector<dom::object> objects;
    if (!records(root, list_key, objects)) return shape();
    std::vector<T> out;
    out.reserve(objects.size());
    for (auto obj : objects) {
        auto one = read(obj);
        if (!one) return one.error();
        out.push_back(std::move(*one));
    }
    return out;
}

template <class T, class Read>
Result<T> read_one(Root parsed, std::string_view list_key, Read read) {
    auto all = read_records<T>(parsed, list_key, read);
    if (!all) return all.error();
    if (all->size() != 1) return shape();
    return std::move(all->front());
}

Result<TransferRecord> read_transfer(dom::object o) {
    TransferRecord t;
    return Fields(o)
        .text("tranId", t.id, true)
        .text("clientTranId", t.client_id)
        .text("fromAccount", t.from_account)
        .text("toAccount", t.to_account)
        .text("fromAccountType", t.from_type)
        .text("toAccountType", t.to_type)
        .text("asset", t.asset, true)
        .decimal("amount", t.amount, true)
        .text("status", t.status)
        .integer("timestamp", t.time)
        .done(std::move(t));
}

}  // namespace

Result<std::string> JsonReader::field_text(std::string_view body, std::string_view name) {
    return read_one<std::string>(impl_->dom_root(body), {}, [&](dom::object o) {
        std::string out;
        return Fields(o).text(name, out, true).done(std::move(out));
    });
}

Result<std::vector<std::string>> JsonReader::listen_keys(std::string_view body) {
    return read_one<std::vector<std::string>>(impl_->dom_root(body), {}, [](dom::object o) {
        std::vector<std::string> keys;
        return Fields(o).list("listenKey", keys, true).done(std::move(keys));
    });
}

Result<TradeFee> JsonReader::trade_fee(std::string_view body) {
    return read_one<TradeFee>(impl_->dom_root(body), {}, [](dom::object o) {
        TradeFee f;
        return Fields(o)
            .decimal("makerCommission", f.maker, true)
            .decimal("takerCommission", f.taker, true)
            .done(f);
    });
}

Result<bool> JsonReader::mx_deduct(std::string_view body) {
    return read_one<bool>(impl_->dom_root(body), {}, [](dom::object o) {
        bool enabled = false;
        return Fields(o).boolean("mxDeductEnable", enabled, true).done(enabled);
    });
}

Result<std::vector<StpGroup>> JsonReader::stp_groups(std::string_view body) {
    return read_records<StpGroup>(impl_->dom_root(body), {}, [](dom::object o) {
        StpGroup g;
        return Fields(o)
            .text("tradeGroupName", g.name, true)
            .integer("tradeGroupId", g.id, true)
            .list("tradeGroupUid", g.uids)
            .integer("createTime", g.create_time)
            .integer("updateTime", g.update_time)
            .done(std::move(g));
    });
}

Result<std::vector<SubAccount>> JsonReader::sub_accounts(std::string_view body) {
    return read_records<SubAccount>(impl_->dom_root(body), "subAccounts", [](dom::object o) {
        SubAccount s;
        return Fields(o)
            .text("subAccount", s.name, true)
            .text("note", s.note)
            .text("uid", s.uid)
            .boolean("isFreeze", s.frozen)
            .integer("createTime", s.create_time)
            .done(std::move(s));
    });
}

Result<std::vector<SubAccountApiKey>> JsonReader::sub_account_api_keys(std::string_view body) {
    // The list nests the keys under "subAccount"; the creation answer has "subAccount" as a name.
    return read_records<SubAccountApiKey>(impl_->dom_root(body), "subAccount", [](dom::object o) {
        SubAccountApiKey k;
        std::string secret;
        dom::element name;
        if (!o.at_key("subAccount").get(name) && name.is_string())
            k.sub_account = std::string(name.get_string().value_unsafe());
        auto r = Fields(o)
                     .text("note", k.note)
                     .text("apiKey", k.api_key, true)
                     .text("secretKey", secret)
                     .list("permissions", k.permissions)
                     .list("ip", k.ips)
                     .integer("creatTime", k.create_time)  // sic
                     .done(0);
        k.secret_key = SecretString(std::move(secret));
        if (!r) return Result<SubAccountApiKey>(r.error());
        return Result<SubAccountApiKey>(std::move(k));
    });
}

Result<std::vector<TransferRecord>> JsonReader::transfers(std::string_view body) {
    return read_records<TransferRecord>(impl_->dom_root(body), "rows", read_transfer);
}

Result<std::vector<CoinInfo>> JsonReader::coins(std::string_view body) {
    return read_records<CoinInfo>(impl_->dom_root(body), {}, [](dom::object o) -> Result<CoinInfo> {
        CoinInfo c;
        auto top =
            Fields(o).text("coin", c.coin, true).text("name", c.name).text("Name", c.name).done(0);
        if (!top) return top.error();
        dom::array list;
        if (o.at_key("networkList").get_array().get(list))
            return field_error(Errc::missing_field, "networkList");
        for (dom::element item : list) {
            dom::object no;
            if (item.get_object().get(no))
                return field_error(Errc::unexpected_json_shape, "networkList");
            CoinNetwork n;
            auto r = Fields(no)
                         .text("network", n.network)
                         .text("netWork", n.network)  // the current name wins when both are present
                         .boolean("depositEnable", n.deposit_enabled)
                         .boolean("withdrawEnable", n.withdraw_enabled)
                         .decimal("withdrawFee", n.withdraw_fee)
                         .decimal("withdrawMin", n.withdraw_min)
                         .decimal("withdrawMax", n.withdraw_max)
                         .integer("minConfirm", n.min_confirm)
                         .text("contract", n.contract)
                         .done(0);
            if (!r) return r.error();
            c.networks.push_back(std::move(n));
        }
        return c;
    });
}

Result<std::vector<DepositRecord>> JsonReader::deposits(std::string_view body) {
    return read_records<DepositRecord>(impl_->dom_root(body), {}, [](dom::object o) {
        DepositRecord d;
        return Fields(o)
            .text("coin", d.coin, true)
            .decimal("amount", d.amount, true)
            .integer("status", d.status, true)
            .text("network", d.network)
            .text("address", d.address)
            .text("memo", d.memo)
            .text("txId", d.tx_id)
            .integer("insertTime", d.insert_time)
            .done(std::move(d));
    });
}

Result<std::vector<WithdrawRecord>> JsonReader::withdrawals(std::string_view body) {
    return read_records<WithdrawRecord>(impl_->dom_root(body), {}, [](dom::object o) {
        WithdrawRecord w;
        return Fields(o)
            .text("id", w.id, true)
            .text("coin", w.coin, true)
            .decimal("amount", w.amount, true)
            .integer("status", w.status, true)
            .text("network", w.network)
            .text("address", w.address)
            .text("memo", w.memo)
            .text("txId", w.tx_id)
            .text("remark", w.remark)
            .text("withdrawOrderId", w.withdraw_order_id)
            .decimal("transactionFee", w.fee)
            .integer("transferType", w.transfer_type)
            .integer("applyTime", w.apply_time)
            .integer("updateTime", w.update_time)
            .done(std::move(w));
    });
}

Result<std::vector<WalletAddress>> JsonReader::addresses(std::string_view body) {
    return read_records<WalletAddress>(impl_->dom_root(body), {}, [](dom::object o) {
        WalletAddress a;
        return Fields(o)
            .text("coin", a.coin, true)
            .text("address", a.address, true)
            .text("network", a.network)
            .text("memo", a.memo)
            .text("addressTag", a.tag)
            .done(std::move(a));
    });
}

Result<std::vector<ConvertibleAsset>> JsonReader::convertible_assets(std::string_view body) {
    return read_records<ConvertibleAsset>(impl_->dom_root(body), {}, [](dom::object o) {
        ConvertibleAsset a;
        return Fields(o)
            .text("asset", a.asset, true)
            .decimal("balance", a.balance)
            .decimal("convertMx", a.mx_value)
            .decimal("convertUsdt", a.usdt_value)
            .text("code", a.code)
            .done(std::move(a));
    });
}

Result<ConvertResult> JsonReader::convert_result(std::string_view body) {
    return read_one<ConvertResult>(impl_->dom_root(body), {}, [](dom::object o) {
        ConvertResult c;
        return Fields(o)
            .list("successList", c.converted, true)
            .list("failedList", c.failed)
            .decimal("totalConvert", c.total_mx)
            .decimal("convertFee", c.fee_mx)
            .done(std::move(c));
    });
}

Result<std::vector<ConvertRecord>> JsonReader::conversions(std::string_view body) {
    // Each conversion lists its assets under convertDetails: one record per asset.
    auto batches = read_records<std::vector<ConvertRecord>>(
        impl_->dom_root(body), {}, [](dom::object o) -> Result<std::vector<ConvertRecord>> {
            dom::array details;
            if (o.at_key("convertDetails").get_array().get(details))
                return field_error(Errc::missing_field, "convertDetails");
            std::vector<ConvertRecord> out;
            for (dom::element item : details) {
                dom::object d;
                if (item.get_object().get(d))
                    return field_error(Errc::unexpected_json_shape, "convertDetails");
                ConvertRecord c;
                auto one = Fields(d)
                               .text("id", c.id)
                               .text("asset", c.asset, true)
                               .decimal("amount", c.amount)
                               .decimal("convert", c.mx)
                               .decimal("fee", c.fee_mx)
                               .integer("time", c.time)
                               .done(std::move(c));
                if (!one) return one.error();
                out.push_back(std::move(*one));
            }
            return out;
        });
    if (!batches) return batches.error();
    std::vector<ConvertRecord> all;
    for (auto& b : *batches) std::move(b.begin(), b.end(), std::back_inserter(all));
    return all;
}

}  // namespace mexc::wire
