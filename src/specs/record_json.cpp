#include "specs/record_json.hpp"

namespace cenv::specs {

nlohmann::json record_to_json(const PackageRecord& record) {
    nlohmann::json out = nlohmann::json::object();
    const auto put_string = [&out](const char* key, const std::string& value) {
        if (!value.empty()) {
            out[key] = value;
        }
    };
    out["name"] = record.name;
    out["version"] = record.version;
    out["build"] = record.build;
    out["build_number"] = record.build_number;
    out["depends"] = record.depends;
    out["constrains"] = record.constrains;
    if (!record.track_features.empty()) {
        std::string joined;
        for (const auto& feature : record.track_features) {
            joined += joined.empty() ? feature : "," + feature;
        }
        out["track_features"] = joined;
    }
    put_string("features", record.features);
    put_string("license", record.license);
    put_string("license_family", record.license_family);
    put_string("md5", record.md5);
    put_string("sha256", record.sha256);
    if (record.size != 0) {
        out["size"] = record.size;
    }
    if (record.timestamp != 0) {
        out["timestamp"] = record.timestamp;
    }
    put_string("subdir", record.subdir);
    if (record.noarch != NoArchType::none) {
        out["noarch"] = std::string(to_string(record.noarch));
    }
    put_string("platform", record.platform);
    put_string("arch", record.arch);
    put_string("python_site_packages_path", record.python_site_packages_path);
    put_string("fn", record.fn);
    put_string("url", record.url);
    put_string("channel", record.channel);
    return out;
}

}  // namespace cenv::specs
