// "Did you mean": for a word bidctl did not understand where a command was
// expected, name it and the nearest command, as git and kubectl do.
#ifndef BIDOPEN_CLIENT_SUGGEST_H_
#define BIDOPEN_CLIENT_SUGGEST_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bidopen::client {

// Edit distance (insertions, deletions, substitutions, adjacent swaps).
int EditDistance(const std::string& a, const std::string& b);

// The candidate nearest to `word` if it is near enough to be a typo.
std::optional<std::string> Nearest(const std::string& word, const std::vector<std::string>& all);

// After a failed parse: the message for an unknown command word, naming it,
// the command it was given to, and the nearest command (or, with no word at
// all, the commands to choose from); nullopt if the error was something else.
std::optional<std::string> UnknownCommandMessage(const CLI::App& app);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_SUGGEST_H_
