// app/demo/DemoSeeder.cpp — placeholder, being written.
#include "demo/DemoSeeder.h"
