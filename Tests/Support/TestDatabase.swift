import Foundation
import API
import Postgres
