// Upload progress on stderr: on a terminal a bar (bytes done of total,
// MB/s, ETA) redrawn at most ten times a second; elsewhere only notes and a
// final line; nothing but notes when quiet (--json).
#ifndef BIDOPEN_CLIENT_PROGRESS_H_
#define BIDOPEN_CLIENT_PROGRESS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bidopen::client {

bool StderrIsTerminal();

class Progress {
 public:
  // `bar`: draw the bar (stderr is a terminal); `quiet`: no bar, no final line.
  Progress(uint64_t total, bool bar, bool quiet)
      : total_(total), bar_(bar && !quiet), quiet_(quiet) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { Clear(); }  // leaves no half-drawn bar before later output

  // A stream starts sending at byte `offset`.
  void Begin(uint64_t offset);
  // Bytes up to `offset` were sent.
  void Sent(uint64_t offset);
  // A line of its own (retries, resumption), printed even when quiet.
  void Note(absl::string_view text);
  // The final line: `what` ("uploaded"), size, time, rate.
  void Done(absl::string_view what);

 private:
  void Draw();
  void Clear();
  double Rate() const;  // bytes per second sent by this process

  const uint64_t total_;
  const bool bar_;
  const bool quiet_;
  uint64_t offset_ = 0;
  uint64_t sent_ = 0;  // bytes sent by this process, over all streams
  bool started_ = false;
  bool drawn_ = false;
  absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
};

// "12.3 MB" (decimal units).
std::string SizeText(uint64_t bytes);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_PROGRESS_H_
