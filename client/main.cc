// cpc: the bench client of cpctrack. See `cpc --help`.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* server = std::getenv("CPC_SERVER");
  const char* user = std::getenv("CPC_USER");
  return cpc::Run(args, server ? server : "", user ? user : "", std::cout, std::cerr);
}
