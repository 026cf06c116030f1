#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "lab_tools/lab_commands.h"

int main(int argc, char** argv) {
  const char* server = std::getenv("CPC_SERVER");
  const char* user = std::getenv("CPC_USER");
  return cpclab::RunLab(std::vector<std::string>(argv + 1, argv + argc),
                        server ? server : "", user ? user : "", std::cout, std::cerr);
}
