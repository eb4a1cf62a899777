// The orders records are listed in.

#include "specs/record_order.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cenv::specs {
namespace {

PackageRecord record(const std::string& name, std::vector<std::string> depends = {}) {
    PackageRecord r;
    r.name = name;
    r.depends = std::move(depends);
    return r;
}

std::vector<std::string> names(const std::vector<PackageRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        out.push_back(r.name);
    }
    return out;
}

TEST(RecordOrder, DependenciesFirstTiesByName) {
    std::vector<PackageRecord> records{
        record("pip", {"python >=3.7", "setuptools"}),
        record("python", {"zlib >=1.2,<2", "libffi", "__glibc >=2.17"}),
        record("zlib"),
        record("setuptools", {"python"}),
        record("libffi"),
        record("ca-certificates"),
    };
    sort_dependencies_first(records);
    EXPECT_EQ(names(records), (std::vector<std::string>{"ca-certificates", "libffi", "zlib",
                                                        "python", "setuptools", "pip"}));
}

TEST(RecordOrder, CyclesDoNotLoseRecords) {
    std::vector<PackageRecord> records{record("b", {"a"}), record("a", {"b"}), record("c", {"a"}),
                                       record("d")};
    sort_dependencies_first(records);
    EXPECT_EQ(names(records), (std::vector<std::string>{"d", "a", "b", "c"}));
}

TEST(RecordOrder, MalformedAndSelfDependenciesOrderNothing) {
    std::vector<PackageRecord> records{record("b", {"b", "a >>1"}), record("a")};
    sort_dependencies_first(records);
    EXPECT_EQ(names(records), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace cenv::specs
