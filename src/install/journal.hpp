#pragma once
// The write-ahead journal that makes a transaction all-or-nothing, even when cenv is killed
// (SIGKILL, power loss after the journal reached the disk).
//
// Before the prefix is touched, the journal names every path the transaction will create,
// every existing path it will displace (moved, never deleted, into a backup folder) and the
// folders it will make; it lives in `<prefix>/.cenv-transaction/`. Until the commit mark is
// appended, undoing is always possible: created paths go, made folders go, displaced paths
// come back from the backup. After the mark, finishing is: drop the backup and the folders
// the removed packages left empty. Both are idempotent, so a run killed while undoing or
// finishing is completed by the next one. The next cenv command on the prefix calls
// `recover()` (under the prefix lock) before it reads anything.
//
// A transaction on a fresh prefix (empty, or only an empty `conda-meta/`) journals no
// paths: undoing empties the prefix again, or removes it when the transaction made it.

#include <filesystem>
#include <string>
#include <vector>

namespace cenv::install {

/// The folder of the transaction in `prefix`.
std::filesystem::path transaction_dir(const std::filesystem::path& prefix);

struct JournalPlan {
    bool fresh = false;                ///< the prefix was empty (or held an empty conda-meta/)
    bool remove_prefix = false;        ///< the prefix did not exist before: undoing removes it
    std::vector<std::string> folders;  ///< folders to make, parents first (not when fresh)
    std::vector<std::string> moved;    ///< existing paths to displace
    std::vector<std::string> created;  ///< paths to create (not when fresh)
};

/// Marks the folder `prefix` (being made) as new: until a transaction's journal is there,
/// recovery removes the whole folder.
void mark_new_prefix(const std::filesystem::path& prefix);

/// What recover() found.
enum class Recovery {
    none,         ///< no interrupted transaction
    rolled_back,  ///< one was interrupted before its commit and was undone
    completed,    ///< one was interrupted after its commit and was finished
};

class Journal {
  public:
    /// Writes the journal of `plan` for `prefix` durably (fsync). Throws InstallError when
    /// it cannot be written (nothing in the prefix has changed then).
    static Journal begin(const std::filesystem::path& prefix, JournalPlan plan);

    /// Moves `path` (relative to the prefix; it must be in the plan's `moved`) into the
    /// backup. A path that is not there is left alone. Throws InstallError on failure.
    void displace(const std::string& path) const;

    /// A place for a file to be written before it is renamed into the prefix (records,
    /// history): inside the transaction folder, so that undoing removes it too.
    [[nodiscard]] std::filesystem::path scratch(const std::string& name) const;

    /// Appends the commit mark (fsync): from now on, recovery finishes instead of undoing.
    void commit();
    /// After commit: removes the backup, the folders emptied of displaced paths, and the
    /// journal.
    void finish() const;
    /// Before commit: undoes everything. Never throws; what it cannot undo is left for the
    /// next recovery (the journal stays then).
    void rollback() const noexcept;

    [[nodiscard]] const std::filesystem::path& prefix() const noexcept { return prefix_; }

    /// Completes or undoes an interrupted transaction in `prefix`, if there is one. The
    /// caller holds the prefix lock.
    static Recovery recover(const std::filesystem::path& prefix);

  private:
    Journal(std::filesystem::path prefix, JournalPlan plan)
        : prefix_(std::move(prefix)), plan_(std::move(plan)) {}
    void undo() const;

    std::filesystem::path prefix_;
    JournalPlan plan_;
    bool committed_ = false;
};

}  // namespace cenv::install
