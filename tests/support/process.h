// Runs programs for end-to-end tests: commands to completion, servers in the background.
#ifndef BIDOPEN_TESTS_SUPPORT_PROCESS_H_
#define BIDOPEN_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace bidopen::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with the arguments, extra environment "K=V" entries, and waits.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// Starts argv in the background with stdout+stderr appended to `log_path`.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log_path);

// Sends `signal` and reaps the process.
void Stop(pid_t pid, int signal);

std::string ReadWholeFile(const std::string& path);

// A fresh directory under $TMPDIR, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_SUPPORT_PROCESS_H_
