#include "client/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace bidopen::client {
namespace {

constexpr int kBarWidth = 24;
constexpr absl::Duration kRedraw = absl::Milliseconds(100);

std::string EtaText(double seconds) {
  if (seconds < 0 || seconds > 99 * 3600) return "--:--";
  const auto s = static_cast<int64_t>(seconds + 0.5);
  if (s >= 3600) return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

std::string Bar(double fraction) {
  const int filled = static_cast<int>(fraction * kBarWidth);
  return absl::StrCat("[", std::string(filled, '#'), std::string(kBarWidth - filled, '-'), "]");
}

}  // namespace

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string SizeText(uint64_t bytes) {
  if (bytes < 1000) return absl::StrCat(bytes, " B");
  if (bytes < 1000 * 1000) return absl::StrFormat("%.1f kB", bytes / 1e3);
  if (bytes < 1000ull * 1000 * 1000) return absl::StrFormat("%.1f MB", bytes / 1e6);
  return absl::StrFormat("%.2f GB", bytes / 1e9);
}

void Progress::Begin(uint64_t offset) {
  if (!started_) start_ = absl::Now();
  started_ = true;
  offset_ = offset;
  Draw();
}

void Progress::Sent(uint64_t offset) {
  if (offset > offset_) sent_ += offset - offset_;
  offset_ = offset;
  if (absl::Now() - last_draw_ >= kRedraw) Draw();
}

double Progress::Rate() const {
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
  return seconds > 0 ? sent_ / seconds : 0;
}

void Progress::Draw() {
  if (!bar_ || !started_) return;
  last_draw_ = absl::Now();
  const double fraction = total_ ? static_cast<double>(offset_) / total_ : 1;
  const double rate = Rate();
  std::cerr << "\r" << Bar(fraction)
            << absl::StrFormat(" %3d%%  ", static_cast<int>(fraction * 100)) << SizeText(offset_)
            << " / " << SizeText(total_) << "  " << absl::StrFormat("%.1f MB/s", rate / 1e6)
            << "  ETA " << EtaText(rate > 0 ? (total_ - offset_) / rate : -1) << "\x1b[K"
            << std::flush;
  drawn_ = true;
}

void Progress::Clear() {
  if (drawn_) std::cerr << "\r\x1b[K";
  drawn_ = false;
}

void Progress::Note(absl::string_view text) {
  Clear();
  std::cerr << "bidctl: " << text << "\n";
  Draw();
}

void Progress::Done(absl::string_view what) {
  Clear();
  if (quiet_) return;
  const absl::Duration took = started_ ? absl::Now() - start_ : absl::ZeroDuration();
  std::cerr << "bidctl: " << what << " " << SizeText(total_)
            << absl::StrFormat(" in %.1f s (%.1f MB/s", absl::ToDoubleSeconds(took), Rate() / 1e6)
            << (sent_ == total_ ? "" : absl::StrCat("; ", SizeText(sent_), " sent by this run"))
            << ")\n";
}

}  // namespace bidopen::client
