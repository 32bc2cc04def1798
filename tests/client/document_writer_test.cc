// bidctl's writer of an opened bid's documents (client/document_writer.h):
// each file is checked against the manifest's size and SHA-256 as it is
// written, a mismatch leaves no file behind, and nothing is written outside
// the directory or over an existing file.
#include "client/document_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "core/crypto/sha256.h"

namespace bidopen::client {
namespace {
namespace fs = std::filesystem;

class DocumentWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("docwriter-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Add(const std::string& name, const std::string& bytes) {
    v1::Document* d = manifest_.add_documents();
    d->set_name(name);
    d->set_size(bytes.size());
    d->set_sha256(crypto::Sha256(bytes));
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_;
  v1::BidManifest manifest_;
};

TEST_F(DocumentWriterTest, WritesEachDocumentInPiecesAndAnEmptyOne) {
  Add("offer.pdf", "hello world");
  Add("empty.txt", "");
  Add("licence.pdf", "abc");
  DocumentWriter w(dir_, manifest_);
  ASSERT_TRUE(w.Prepare().ok());
  ASSERT_TRUE(w.Write(0, "hello ").ok());
  ASSERT_TRUE(w.Write(0, "world").ok());
  ASSERT_TRUE(w.Write(2, "abc").ok());  // document 1 has no bytes
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_EQ(Read(dir_ + "/offer.pdf"), "hello world");
  EXPECT_TRUE(fs::exists(dir_ + "/empty.txt"));
  EXPECT_EQ(fs::file_size(dir_ + "/empty.txt"), 0u);
  EXPECT_EQ(Read(dir_ + "/licence.pdf"), "abc");
  EXPECT_FALSE(fs::exists(dir_ + "/offer.pdf.part"));
}

TEST_F(DocumentWriterTest, AHashMismatchNamesTheDocumentAndLeavesNoFile) {
  Add("offer.pdf", "hello world");
  DocumentWriter w(dir_, manifest_);
  ASSERT_TRUE(w.Prepare().ok());
  ASSERT_TRUE(w.Write(0, "hello WORLD").ok());
  absl::Status st = w.Finish();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(st.message(), "document 0 \"offer.pdf\" came as 11 bytes")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "the partial file was removed")) << st;
  EXPECT_FALSE(fs::exists(dir_ + "/offer.pdf"));
  EXPECT_FALSE(fs::exists(dir_ + "/offer.pdf.part"));
}

TEST_F(DocumentWriterTest, TooManyBytesAndOutOfOrderPiecesAreRefused) {
  Add("a", "12");
  Add("b", "34");
  {
    DocumentWriter w(dir_, manifest_);
    ASSERT_TRUE(w.Prepare().ok());
    EXPECT_EQ(w.Write(0, "123").code(), absl::StatusCode::kDataLoss);
  }
  EXPECT_FALSE(fs::exists(dir_ + "/a.part"));  // removed when the writer went away
  DocumentWriter w(dir_, manifest_);
  ASSERT_TRUE(w.Prepare().ok());
  EXPECT_EQ(w.Write(1, "34").code(), absl::StatusCode::kDataLoss);  // "a" got no bytes
  DocumentWriter order(dir_ + "/2", manifest_);
  ASSERT_TRUE(order.Prepare().ok());
  ASSERT_TRUE(order.Write(0, "12").ok());
  ASSERT_TRUE(order.Write(1, "34").ok());
  EXPECT_EQ(order.Write(0, "12").code(), absl::StatusCode::kDataLoss);
}

TEST_F(DocumentWriterTest, NamesThatLeaveTheDirectoryAndExistingFilesAreRefused) {
  Add("../escape", "x");
  DocumentWriter bad(dir_, manifest_);
  absl::Status st = bad.Prepare();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(st.message(), "documents[0].name")) << st;
  EXPECT_FALSE(fs::exists(fs::path(dir_).parent_path() / "escape"));

  manifest_.Clear();
  Add("offer.pdf", "x");
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/offer.pdf") << "mine";
  DocumentWriter exists(dir_, manifest_);
  st = exists.Prepare();
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Read(dir_ + "/offer.pdf"), "mine");
}

}  // namespace
}  // namespace bidopen::client
