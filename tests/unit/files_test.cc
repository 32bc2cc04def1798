// platform/files.h: whole-file reads and atomic writes.
#include "platform/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace bidopen {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("files_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FilesTest, WriteCreatesParentsReplacesAtomicallyAndReadsBack) {
  std::string path = (dir_ / "a" / "b.txt").string();
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, std::string("se\0cond", 7)).ok());
  auto bytes = ReadFileBytes(path, "--x");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, std::string("se\0cond", 7));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(FilesTest, PrivateFilesAreOwnerOnly) {
  std::string path = (dir_ / "key").string();
  ASSERT_TRUE(WriteFileAtomically(path, "secret", true).ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// Issue 10 item 6: a planted temporary that is a symlink is replaced, not
// followed; the mode is the one meant whatever the umask; a new directory
// for a private file is the owner's alone.
TEST_F(FilesTest, APlantedSymlinkIsNotFollowedAndModesAreTheOnesMeant) {
  fs::create_directories(dir_);
  const std::string victim = (dir_ / "victim").string(), path = (dir_ / "out").string();
  ASSERT_TRUE(WriteFileAtomically(victim, "untouched").ok());
  fs::create_symlink(victim, path + ".tmp");
  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(*ReadFileBytes(victim, "victim"), "untouched");
  EXPECT_EQ(*ReadFileBytes(path, "out"), "new");
  const mode_t old = ::umask(0077);
  ASSERT_TRUE(WriteFileAtomically(path, "again").ok());
  ::umask(old);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  const std::string key = (dir_ / "keys" / "k").string();
  ASSERT_TRUE(WriteFileAtomically(key, "secret", true).ok());
  ASSERT_EQ(::stat((dir_ / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(FilesTest, MissingFileIsNotFoundNamingWhatAndWhere) {
  auto bytes = ReadFileBytes((dir_ / "nope.pem").string(), "--cert");
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(bytes.status().message(), "--cert: cannot read " + (dir_ / "nope.pem").string());
}

TEST_F(FilesTest, UnwritablePlaceIsPermissionDenied) {
  fs::create_directories(dir_);
  std::string blocker = (dir_ / "file").string();
  ASSERT_TRUE(WriteFileAtomically(blocker, "x").ok());
  absl::Status st = WriteFileAtomically(blocker + "/child", "y");  // parent is a file
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("cannot write " + blocker + "/child.tmp"), absl::string_view::npos)
      << st;
}

}  // namespace
}  // namespace bidopen
