import { createApp } from 'vue'
import { Button, Form, Field, CellGroup, Cell, Grid, GridItem, NavBar, Icon, Empty } from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { router } from './router'
import './mobile.css'

const app = createApp(App)
for (const c of [Button, Form, Field, CellGroup, Cell, Grid, GridItem, NavBar, Icon, Empty]) app.use(c)
app.use(router).mount('#app')
