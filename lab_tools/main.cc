#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/session_file.h"
#include "lab_tools/lab_commands.h"

int main(int argc, char** argv) {
  const char* server = std::getenv("CPC_SERVER");
  return cpclab::RunLab(std::vector<std::string>(argv + 1, argv + argc),
                        server ? server : "", cpc::ConfigDirectoryFromEnvironment(), std::cout,
                        std::cerr);
}
