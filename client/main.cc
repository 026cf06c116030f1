// cpc: the bench client of cpctrack. See `cpc --help`.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/commands.h"
#include "client/session_file.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* server = std::getenv("CPC_SERVER");
  return cpc::Run(args, server ? server : "", cpc::ConfigDirectoryFromEnvironment(), std::cout,
                  std::cerr);
}
